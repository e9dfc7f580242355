package io.orderflow.wiring.settings;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The event store on PostgreSQL ({@code orderflow.event-store.*}, ADR 0001, 0014).
 *
 * @param batchSize Most events one read of the event store returns to a streaming processor.
 */
@ConfigurationProperties("orderflow.event-store")
@Validated
public record EventStoreProperties(@DefaultValue("1000") @Min(1) int batchSize) {
}
