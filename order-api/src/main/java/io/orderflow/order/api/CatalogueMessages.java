package io.orderflow.order.api;

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
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(unitPrice, "unitPrice must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            if (name.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("name must be at most " + MAX_NAME_LENGTH + " characters");
            }
            if (name.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("name must not contain the NUL character");
            }
            if (unitPrice.isNegative()) {
                throw new IllegalArgumentException("unitPrice must not be negative");
            }
        }
    }

    /** One item as the catalogue sells it now. */
    public record CatalogueItemView(String sku, String name, BigDecimal unitPrice, String currency) {
    }
}
