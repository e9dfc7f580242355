package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The order's reservation went back to available (compensation).
 */
@Revision("1")
public record StockReleasedEvent(OrderId orderId, List<StockLine> lines) implements FulfillmentEvent {

    public StockReleasedEvent {
        lines = List.copyOf(lines);
    }
}
