package io.orderflow.wiring.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * How the application's events reach Kafka and its Kafka-fed processors read them ({@code orderflow.kafka.*}, ADR
 * 0002). The client settings (security, TLS, SASL) are Spring's spring.kafka.*; the topics' are
 * orderflow.kafka.topics.*; the development run's brokers have settings of their own under the same prefix.
 *
 * @param bootstrapServers The Kafka brokers, host:port,... (KAFKA_BOOTSTRAP_SERVERS), for every Kafka client of the
 *                         application; required. The development run fills in its embedded brokers'.
 * @param publisher        The processor that publishes the event store to Kafka.
 * @param consumer         The processors that read Kafka.
 */
@ConfigurationProperties("orderflow.kafka")
@Validated
public record EventKafkaProperties(@NotBlank String bootstrapServers,
                                   @DefaultValue @Valid Publisher publisher,
                                   @DefaultValue @Valid Consumer consumer) {

    /**
     * The Kafka publisher, a streaming processor on the event store that waits for the brokers' acknowledgements.
     *
     * @param segments   Segments of the Kafka publisher; one keeps every event in store order.
     * @param batchSize  Most events the Kafka publisher sends in one transaction, with one wait for their
     *                   acknowledgements.
     * @param ackTimeout How long the Kafka publisher waits for the brokers' acknowledgements of a batch.
     */
    public record Publisher(@DefaultValue("1") @Min(1) int segments,
                            @DefaultValue("500") @Min(1) int batchSize,
                            @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration ackTimeout) {
    }

    /**
     * The consumers of the Kafka-fed processors.
     *
     * @param pollTimeout Longest wait of one poll of a Kafka-fed processor's consumer; a bare number is milliseconds.
     */
    public record Consumer(@DefaultValue("1000") @DurationUnit(ChronoUnit.MILLIS) @NotNull @DurationMin(millis = 1)
                           Duration pollTimeout) {
    }
}
