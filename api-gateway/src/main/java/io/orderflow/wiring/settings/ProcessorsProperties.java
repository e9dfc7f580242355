package io.orderflow.wiring.settings;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the instances share the event processors ({@code orderflow.processors.*}, ADR 0033, 0035, 0036).
 *
 * @param claimTimeout How long a segment claim its instance has not renewed stays its; after that another instance
 *                     takes it over (the instances renew theirs with every batch, and every few seconds while idle).
 * @param controlCheck How often each instance pauses or starts its processors to match what an operator asked through
 *                     any instance.
 * @param releaseWait  How long a pause, replay or rewind waits for every instance to let go of the processor's
 *                     segments.
 * @param balanceCheck How often each instance renews its row among the live instances and evens out its share of every
 *                     processor's segments.
 */
@ConfigurationProperties("orderflow.processors")
@Validated
public record ProcessorsProperties(
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration claimTimeout,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration controlCheck,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration releaseWait,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration balanceCheck) {
}
