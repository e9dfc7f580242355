package io.orderflow.order.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The order was validated and priced, and the company committed to fulfil it. Everything after this fact is
 * eventual. The seed contract: the delivery address snapshot, or the customer-profile version to wait for.
 *
 * @param acceptedAt      when the order was accepted (revision 2; revision-1 events get their own timestamp)
 * @param contractVersion the version of this message's contract, equal to the {@code @Revision}
 */
@Revision(OrderAcceptedEvent.REVISION)
public record OrderAcceptedEvent(
        OrderId orderId,
        CustomerId customerId,
        List<OrderLine> lines,
        BigDecimal totalAmount,
        String currency,
        @Nullable PostalAddress deliveryAddress,
        @Nullable Long addressVersion,
        Instant acceptedAt,
        int contractVersion) {

    /** Revision 2 added {@code acceptedAt}; {@code OrderAcceptedEventUpcaster} turns revision 1 into 2. */
    public static final String REVISION = "2";

    public OrderAcceptedEvent {
        lines = List.copyOf(lines);
    }
}
