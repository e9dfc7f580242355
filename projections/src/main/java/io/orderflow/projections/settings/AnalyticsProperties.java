package io.orderflow.projections.settings;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The analytics projection, which reads the order and fulfillment events from Kafka ({@code orderflow.analytics.*}).
 *
 * @param batchSize Most records the analytics processor takes in one transaction.
 */
@ConfigurationProperties("orderflow.analytics")
@Validated
public record AnalyticsProperties(@DefaultValue("50") @Min(1) int batchSize) {
}
