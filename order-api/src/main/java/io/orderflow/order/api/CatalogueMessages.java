package io.orderflow.order.api;

import io.orderflow.values.Required;

import java.math.BigDecimal;
import java.util.Objects;

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

        public PriceCatalogueItemCommand {
            Objects.requireNonNull(sku, "sku must not be null");
            Required.text("name", name, MAX_NAME_LENGTH);
            Objects.requireNonNull(unitPrice, "unitPrice must not be null");
            if (unitPrice.isNegative()) {
                throw new IllegalArgumentException("unitPrice must not be negative");
            }
        }
    }

    /** One item as the catalogue sells it now. */
    public record CatalogueItemView(String sku, String name, BigDecimal unitPrice, String currency) {
    }
}
