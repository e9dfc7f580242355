package io.orderflow.fulfillment.settings;

import jakarta.validation.constraints.NotNull;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the carriers deliver ({@code orderflow.shipment.*}).
 *
 * @param unservedCountries Countries (ISO 3166 codes, comma-separated) no carrier serves: an order shipped there fails
 *                          SHIPMENT_FAILED and is compensated, and no delivery is quoted there.
 */
@ConfigurationProperties("orderflow.shipment")
@Validated
public record ShipmentProperties(@DefaultValue("AQ") @NotNull Set<String> unservedCountries) {
}
