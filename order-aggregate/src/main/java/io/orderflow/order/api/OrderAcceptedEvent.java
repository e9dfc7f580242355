package io.orderflow.order.api;

import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.util.List;

/**
 * The order was validated and priced, and the company committed to fulfil it. Everything after this fact is
 * eventual. The seed contract: the delivery address snapshot, or the customer-profile version to wait for.
 *
 * @param contractVersion the version of this message's contract, equal to the {@code @Revision}
 */
@Revision(OrderAcceptedEvent.REVISION)
public record OrderAcceptedEvent(
        OrderId orderId,
        CustomerId customerId,
        List<OrderLine> lines,
        BigDecimal totalAmount,
        String currency,
        @Nullable Address deliveryAddress,
        @Nullable Long addressVersion,
        int contractVersion) {

    public static final String REVISION = "1";

    public OrderAcceptedEvent {
        lines = List.copyOf(lines);
    }
}
