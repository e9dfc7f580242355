package io.orderflow.order.api;

/**
 * The order context refused a command for a business reason. {@link #reason()} is a stable code that the API
 * maps to an HTTP status and a problem type; the message is for people.
 */
public class OrderRejectedException extends RuntimeException {

    /** Why an order was refused. */
    public enum Reason {
        /** A line names a SKU the catalogue does not have. */
        UNKNOWN_SKU,
        /** The order's currency is not the catalogue currency of its SKUs. */
        CURRENCY_MISMATCH,
        /** A line's shown unit price differs from the catalogue's current price. */
        PRICE_CHANGED,
        /** The order's total is zero or less, or above the highest total an order may have. */
        TOTAL_OUT_OF_RANGE,
        /** The order is not in a state that allows the command. */
        INVALID_TRANSITION,
        /** A customer asked about an order that is not theirs: to them it does not exist. */
        NOT_THE_CUSTOMERS
    }

    private final Reason reason;
    private final String field;

    public OrderRejectedException(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The request field the rejection is about, such as {@code lines[1].sku}, or null. */
    public String field() {
        return field;
    }
}
