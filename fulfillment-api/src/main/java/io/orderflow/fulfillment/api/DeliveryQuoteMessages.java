package io.orderflow.fulfillment.api;

import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/** A delivery price quote: a synchronous question to shipping, answered from its tariff, recording nothing. */
public final class DeliveryQuoteMessages {

    /** The most items one quote may be for. */
    public static final int MAX_ITEMS = 10_000;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private DeliveryQuoteMessages() {
    }

    /** What delivering {@code items} items to {@code country} (ISO-3166 alpha-2) costs. */
    public record FindDeliveryQuoteQuery(String country, int items) {
        public FindDeliveryQuoteQuery {
            Required.nonNull("country", country);
            if (!COUNTRIES.contains(country)) {
                throw new ValueViolation("country", "must be an ISO-3166 alpha-2 code such as DE");
            }
            validItems(items);
        }

        /** Answers the number of items if a quote may be for that many, else throws a violation naming them. */
        public static int validItems(int items) {
            if (items < 1 || items > MAX_ITEMS) {
                throw new ValueViolation("items", "must be from 1 to " + MAX_ITEMS);
            }
            return items;
        }
    }

    /**
     * The answer: the price, or, if no carrier serves the country, none ({@code amount} and {@code currency} null
     * and {@code unservedReason} set).
     */
    public record DeliveryQuote(BigDecimal amount, String currency, String unservedReason) {

        public static DeliveryQuote of(BigDecimal amount, String currency) {
            return new DeliveryQuote(amount, currency, null);
        }

        public static DeliveryQuote unserved(String reason) {
            return new DeliveryQuote(null, null, reason);
        }

        public boolean served() {
            return unservedReason == null;
        }
    }
}
