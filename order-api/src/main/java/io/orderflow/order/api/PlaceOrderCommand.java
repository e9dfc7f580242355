package io.orderflow.order.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Currency;
import java.util.List;
import java.util.Objects;

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

    public PlaceOrderCommand {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(currency, "currency must not be null");
        Objects.requireNonNull(lines, "lines must not be null");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("an order has at most " + MAX_LINES + " lines");
        }
        if ((deliveryAddress == null) == (addressVersion == null)) {
            throw new IllegalArgumentException("exactly one of deliveryAddress and addressVersion must be given");
        }
        if (addressVersion != null && addressVersion < 0) {
            throw new IllegalArgumentException("addressVersion must not be negative");
        }
    }
}
