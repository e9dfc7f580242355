package io.orderflow.fulfillment.shipment;

import io.orderflow.fulfillment.api.DeliveryQuoteMessages.DeliveryQuote;
import io.orderflow.fulfillment.api.DeliveryQuoteMessages.FindDeliveryQuoteQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * The carrier's tariff, in EUR: a base price per zone (domestic, EU, rest of the world) and a price per item after
 * the first. A country no carrier serves ({@link CarrierCoverage}) gets no quote.
 */
@Component
class DeliveryTariff {

    static final String CURRENCY = "EUR";
    private static final String HOME_COUNTRY = "DE";
    private static final Set<String> EU = Set.of("AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR",
            "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

    private final CarrierCoverage coverage;

    DeliveryTariff(CarrierCoverage coverage) {
        this.coverage = coverage;
    }

    @QueryHandler
    DeliveryQuote handle(FindDeliveryQuoteQuery query) {
        Optional<String> refusal = coverage.refusal(query.country());
        if (refusal.isPresent()) {
            return DeliveryQuote.unserved(refusal.get());
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
