package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * The order's reservation went back to available (compensation).
 */
@Revision("1")
public record StockReleasedEvent(OrderId orderId, List<StockLine> lines) implements FulfillmentEvent {

    public StockReleasedEvent {
        lines = List.copyOf(lines);
    }
}
