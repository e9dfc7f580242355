package io.orderflow.fulfillment.shipment;

import io.orderflow.fulfillment.api.DeliveryQuoteMessages.DeliveryQuote;
import io.orderflow.fulfillment.api.DeliveryQuoteMessages.FindDeliveryQuoteQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Set;

/**
 * The carrier's tariff, in EUR: a base price per zone (domestic, EU, rest of the world) and a price per item after
 * the first. The same countries no carrier serves here are the ones whose shipments fail.
 */
@Component
class DeliveryTariff {

    static final String CURRENCY = "EUR";
    private static final String HOME_COUNTRY = "DE";
    private static final Set<String> EU = Set.of("AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR",
            "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

    private final Set<String> unservedCountries;

    DeliveryTariff(@Value("${orderflow.shipment.unserved-countries:AQ}") Set<String> unservedCountries) {
        this.unservedCountries = Set.copyOf(unservedCountries);
    }

    @QueryHandler
    DeliveryQuote handle(FindDeliveryQuoteQuery query) {
        if (unservedCountries.contains(query.country())) {
            return DeliveryQuote.unserved("no carrier serves " + query.country());
        }
        Zone zone = HOME_COUNTRY.equals(query.country()) ? Zone.DOMESTIC
                : EU.contains(query.country()) ? Zone.EU : Zone.WORLD;
        BigDecimal amount = zone.base.add(zone.perExtraItem.multiply(BigDecimal.valueOf(query.items() - 1L)));
        return DeliveryQuote.of(amount, CURRENCY);
    }

    private enum Zone {
        DOMESTIC("4.90", "0.50"), EU("9.90", "1.00"), WORLD("19.90", "2.00");

        private final BigDecimal base;
        private final BigDecimal perExtraItem;

        Zone(String base, String perExtraItem) {
            this.base = new BigDecimal(base);
            this.perExtraItem = new BigDecimal(perExtraItem);
        }
    }
}
