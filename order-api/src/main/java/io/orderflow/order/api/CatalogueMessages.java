package io.orderflow.order.api;

import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.math.BigDecimal;

/**
 * The catalogue's contract: what it sells at which price. Prices are set by an operator and only ever read by
 * the Order aggregate; a client never sets a price.
 */
public final class CatalogueMessages {

    private CatalogueMessages() {
    }

    /** Asks for the whole catalogue, ordered by SKU; answered with a list of {@link CatalogueItemView}. */
    public record ListCatalogueQuery() {
    }

    /** Sets (or adds) an item's name and unit price; answered with the stored {@link CatalogueItemView}. */
    public record PriceCatalogueItemCommand(Sku sku, String name, Money unitPrice) {

        public static final int MAX_NAME_LENGTH = 200;
        /** The highest unit price, in the currency's units; an order's total has its own bound (MAX_TOTAL). */
        public static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000");

        /** Answers the price if an item may be sold for it, else throws a violation naming {@code unitPrice}. */
        public static Money validUnitPrice(Money unitPrice) {
            Required.nonNull("unitPrice", unitPrice);
            if (unitPrice.amount().signum() <= 0) {
                throw new ValueViolation("unitPrice", "must be more than zero");
            }
            if (unitPrice.amount().compareTo(MAX_UNIT_PRICE) > 0) {
                throw new ValueViolation("unitPrice", "must be at most " + MAX_UNIT_PRICE.toPlainString());
            }
            return unitPrice;
        }

        public PriceCatalogueItemCommand {
            Required.nonNull("sku", sku);
            Required.text("name", name, MAX_NAME_LENGTH);
            validUnitPrice(unitPrice);
        }
    }

    /** One item as the catalogue sells it now. */
    public record CatalogueItemView(String sku, String name, BigDecimal unitPrice, String currency) {
    }
}
