package io.orderflow.order;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the Order aggregate is kept ({@code orderflow.order.*}): its cache and its snapshots.
 *
 * @param cacheSize         Orders kept in memory (the ones used last), so that the fulfillment steps after an order's
 *                          acceptance find it without reading the event store again.
 * @param snapshotThreshold Events of an order after which a snapshot of it is taken, so that loading it reads the
 *                          snapshot and the events after it, not its whole history.
 */
@ConfigurationProperties("orderflow.order")
@Validated
public record OrderProperties(@DefaultValue("10000") @Min(1) long cacheSize,
                              @DefaultValue("10") @Min(1) int snapshotThreshold) {
}
