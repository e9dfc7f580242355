package io.orderflow.fulfillment.shipment;

import io.orderflow.fulfillment.settings.ShipmentProperties;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.Set;

/**
 * Where carriers deliver: everywhere except the countries in {@code orderflow.shipment.unserved-countries} (default
 * {@code AQ}). Both arranging a shipment and quoting one ask here, so a country is refused by both or by neither.
 */
@Component
class CarrierCoverage {

    private final Set<String> unservedCountries;

    CarrierCoverage(ShipmentProperties settings) {
        this.unservedCountries = Set.copyOf(settings.unservedCountries());
    }

    /** Why no carrier delivers to the country, or nothing if one does. */
    Optional<String> refusal(String country) {
        return unservedCountries.contains(country) ? Optional.of("no carrier serves " + country) : Optional.empty();
    }
}
