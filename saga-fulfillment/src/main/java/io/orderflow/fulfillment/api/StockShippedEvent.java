package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * The order's reserved stock left the warehouse with its shipment: reserved became shipped.
 */
@Revision("1")
public record StockShippedEvent(OrderId orderId, List<StockLine> lines) implements FulfillmentEvent {

    public StockShippedEvent {
        lines = List.copyOf(lines);
    }
}
