package io.orderflow.wiring.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The REST API's limits and waits ({@code orderflow.api.*}, ADR 0006, 0022).
 *
 * @param commandTimeout              How long a request waits for its command to be handled, and a repeated
 *                                    Idempotency-Key for the first request with it.
 * @param readYourWritesWait          Longest wait of a read with minVersion for the projection to catch up.
 * @param readYourWritesMaxWaiting    Reads with minVersion waiting at once; one more is answered 503 with
 *                                    Retry-After.
 * @param maxConcurrentRequests       API requests handled at once (the bulkhead that keeps database connections for
 *                                    the processors); one more waits up to 0.5 s, then 503 with Retry-After.
 * @param maxBodySize                 Largest request body the API reads; a larger one is a 413.
 * @param idempotencyKeyTtl           How long an Idempotency-Key is remembered; a repeat after that places a new order.
 * @param idempotencyKeyPurgeInterval How often Idempotency-Keys older than their time to live are removed.
 * @param rateLimit                   Writes per second per caller.
 */
@ConfigurationProperties("orderflow.api")
@Validated
public record ApiProperties(
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration commandTimeout,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 0) Duration readYourWritesWait,
        @DefaultValue("1000") @Min(1) int readYourWritesMaxWaiting,
        @DefaultValue("32") @Min(1) int maxConcurrentRequests,
        @DefaultValue("1MB") @NotNull DataSize maxBodySize,
        @DefaultValue("24h") @NotNull @DurationMin(seconds = 1) Duration idempotencyKeyTtl,
        @DefaultValue("10m") @NotNull @DurationMin(millis = 1) Duration idempotencyKeyPurgeInterval,
        @DefaultValue @Valid RateLimit rateLimit) {

    /**
     * Writes per second per caller (the token's subject); over it, 429 with Retry-After.
     *
     * @param customerWritesPerSecond Writes per second of one customer.
     * @param writesPerSecond         Writes per second of any other caller (the shop's backend, an operator).
     */
    public record RateLimit(@DefaultValue("20") @Min(1) int customerWritesPerSecond,
                            @DefaultValue("500") @Min(1) int writesPerSecond) {
    }
}
