package io.orderflow.projections.settings;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The processors of the projections that read the event store, order summary and customer profile
 * ({@code orderflow.projections.*}), and their rebuilds (ADR 0010, 0015).
 *
 * @param segments     Segments (and threads) of each projection's processor on the event store.
 * @param batchSize    Most events a projection's processor takes in one transaction; a batch is whatever is available
 *                     up to this many, so live latency is not held back, and a replay writes each row once per batch.
 * @param rebuildCheck How often a rebuild (a replay into a new generation) is checked for having caught up, to switch
 *                     the reads over to it.
 */
@ConfigurationProperties("orderflow.projections")
@Validated
public record ProjectionsProperties(@DefaultValue("4") @Min(1) int segments,
                                    @DefaultValue("500") @Min(1) int batchSize,
                                    @DefaultValue("500ms") @NotNull @DurationMin(millis = 1) Duration rebuildCheck) {
}
