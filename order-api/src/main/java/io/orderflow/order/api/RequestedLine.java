package io.orderflow.order.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line as the client asked for it. {@code shownUnitPrice} is the price the customer was shown, if the
 * client sent one; it only confirms the catalogue's price and never sets it.
 */
public record RequestedLine(Sku sku, int quantity, BigDecimal shownUnitPrice) {

    /** More than this on one line is a typing mistake or an attack, never a checkout. */
    public static final int MAX_QUANTITY = 10_000;

    public RequestedLine {
        Objects.requireNonNull(sku, "sku must not be null");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
        if (quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("quantity must be at most " + MAX_QUANTITY);
        }
    }
}
