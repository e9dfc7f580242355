package io.orderflow.order.api;

import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.math.BigDecimal;

/**
 * One line as the client asked for it. {@code shownUnitPrice} is the price the customer was shown, if the
 * client sent one; it only confirms the catalogue's price and never sets it.
 */
public record RequestedLine(Sku sku, int quantity, BigDecimal shownUnitPrice) {

    /** More than this on one line is a typing mistake or an attack, never a checkout. */
    public static final int MAX_QUANTITY = 10_000;

    public RequestedLine {
        Required.nonNull("sku", sku);
        validQuantity(quantity);
    }

    /** Answers the quantity if one line may ask for it, else throws a violation naming {@code quantity}. */
    public static int validQuantity(int quantity) {
        if (quantity < 1) {
            throw new ValueViolation("quantity", "must be at least 1");
        }
        if (quantity > MAX_QUANTITY) {
            throw new ValueViolation("quantity", "must be at most " + MAX_QUANTITY);
        }
        return quantity;
    }
}
