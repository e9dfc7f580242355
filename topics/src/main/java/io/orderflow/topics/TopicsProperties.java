package io.orderflow.topics;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the application and the development launcher treat the Kafka topics of {@link Topics}
 * ({@code orderflow.kafka.topics.*}): whether and how they are checked or applied, and the sizes a new topic gets.
 *
 * <p>Bound by the applications (the annotations are optional dependencies of this module, so the address router,
 * which runs without Spring Boot, does not need them).
 *
 * @param enabled           Whether the application checks (or applies) the Kafka topics while it starts.
 * @param mode              What the application does with the Kafka topics at start: check (refuse to start unless
 *                          every topic matches its definition, changing nothing) or apply (create missing topics and
 *                          correct the others; the topic step and the development run).
 * @param partitions        Partitions of a Kafka topic when it is created.
 * @param replicationFactor Replication factor of a new Kafka topic; 0 derives it from the cluster (at most 3).
 * @param minInsyncReplicas min.insync.replicas of the Kafka topics; 0 derives it from the replication factor (2 from 3
 *                          replicas on, else 1).
 * @param timeout           How long the topic check or step waits for the Kafka cluster before it gives up; a bare
 *                          number is milliseconds.
 */
@ConfigurationProperties("orderflow.kafka.topics")
@Validated
public record TopicsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("check") @NotNull TopicInitializer.Mode mode,
        @DefaultValue("" + Topics.DEFAULT_PARTITIONS) @Min(1) int partitions,
        @DefaultValue("0") @Min(0) int replicationFactor,
        @DefaultValue("0") @Min(0) int minInsyncReplicas,
        @DefaultValue("60s") @NotNull @DurationMin(millis = 1) Duration timeout) {

    /** The configuration key of {@link #mode()}. */
    public static final String MODE = "orderflow.kafka.topics.mode";
}
