package io.orderflow.order.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/**
 * Asks the order context to accept a new order. Exactly one of {@code deliveryAddress} (ship to this snapshot)
 * and {@code addressVersion} (ship to the customer's address once the profile has reached that version) is set.
 */
public record PlaceOrderCommand(
        @TargetAggregateIdentifier OrderId orderId,
        CustomerId customerId,
        Currency currency,
        List<RequestedLine> lines,
        PostalAddress deliveryAddress,
        Long addressVersion) {

    public static final int MAX_LINES = 100;
    /**
     * The highest total an order may have, in the currency's units; a total of zero or less is refused too. Checked
     * by the Order aggregate when it prices the lines (OrderRejectedException, TOTAL_OUT_OF_RANGE).
     */
    public static final BigDecimal MAX_TOTAL = new BigDecimal("1000000000");

    public PlaceOrderCommand {
        Required.nonNull("orderId", orderId);
        Required.nonNull("customerId", customerId);
        Required.nonNull("currency", currency);
        Required.nonNull("lines", lines);
        lines = List.copyOf(lines);
        validLineCount(lines.size());
        if (deliveryAddress == null && addressVersion == null) {
            throw ValueViolation.stated("deliveryAddress",
                    "exactly one of deliveryAddress and addressVersion must be given");
        }
        if (deliveryAddress != null && addressVersion != null) {
            throw ValueViolation.stated("addressVersion",
                    "exactly one of deliveryAddress and addressVersion must be given");
        }
        if (addressVersion != null) {
            validAddressVersion(addressVersion);
        }
    }

    /** Answers the number of lines if an order may have that many, else throws a violation naming {@code lines}. */
    public static int validLineCount(int count) {
        if (count < 1) {
            throw ValueViolation.stated("lines", "an order needs at least one line");
        }
        if (count > MAX_LINES) {
            throw ValueViolation.stated("lines", "an order has at most " + MAX_LINES + " lines");
        }
        return count;
    }

    /**
     * Answers the customer-profile version if an order may name it, else throws a violation naming
     * {@code addressVersion}.
     */
    public static long validAddressVersion(long addressVersion) {
        if (addressVersion < 0) {
            throw new ValueViolation("addressVersion", "must not be negative");
        }
        return addressVersion;
    }
}
