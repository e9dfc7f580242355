package io.orderflow.fulfillment.settings;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The fulfillment saga ({@code orderflow.fulfillment.*}, ADR 0008, 0013): its processor, the straight path that runs
 * a batch's new orders side by side, and its waits and retries.
 *
 * @param segments          Threads (and segments) of the fulfillment saga's processor; each reads the whole topics, so
 *                          more segments multiply the reading rather than divide it.
 * @param batchSize         Most records one transaction of the fulfillment saga's processor takes.
 * @param groups            Groups of a batch's new orders in a transaction at once on the straight path (the batch is
 *                          cut into twice as many, so that some work while others wait for the provider).
 * @param parallelism       Payment provider calls the straight path makes at once; a call holds no database
 *                          connection.
 * @param commandTimeout    How long the saga waits for one of its commands to be handled and committed.
 * @param addressWait       How long an order that names a customer-profile version waits for it before it fails
 *                          ADDRESS_UNAVAILABLE.
 * @param paymentAttempts   How many times the saga asks for a payment authorization (each with the client's own
 *                          retries) before it gives up.
 * @param paymentRetryDelay Pause before the saga's second payment attempt; it grows linearly with the attempt.
 * @param stuckRetryDelay   How often a stuck saga tries again (payment outcome unknown, compensation refused).
 */
@ConfigurationProperties("orderflow.fulfillment")
@Validated
public record FulfillmentProperties(
        @DefaultValue("1") @Min(1) int segments,
        @DefaultValue("250") @Min(1) int batchSize,
        @DefaultValue("4") @Min(1) int groups,
        @DefaultValue("256") @Min(1) int parallelism,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration commandTimeout,
        @DefaultValue("15m") @NotNull @DurationMin(millis = 1) Duration addressWait,
        @DefaultValue("3") @Min(1) int paymentAttempts,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 0) Duration paymentRetryDelay,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration stuckRetryDelay) {

    /** Today's defaults, as binding gives them when nothing is set (for tests that build the beans by hand). */
    public static FulfillmentProperties defaults() {
        return new FulfillmentProperties(1, 250, 4, 256, Duration.ofSeconds(30), Duration.ofMinutes(15), 3,
                Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    /** These settings with another straight path: {@code groups} at once, {@code parallelism} calls, a timeout. */
    public FulfillmentProperties withStraightPath(int groups, int parallelism, Duration commandTimeout) {
        return new FulfillmentProperties(segments, batchSize, groups, parallelism, commandTimeout, addressWait,
                paymentAttempts, paymentRetryDelay, stuckRetryDelay);
    }
}
