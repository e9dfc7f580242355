package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The order's reserved stock left the warehouse with its shipment: reserved became shipped.
 */
@Revision("1")
public record StockShippedEvent(OrderId orderId, List<StockLine> lines) implements FulfillmentEvent {

    public StockShippedEvent {
        lines = List.copyOf(lines);
    }
}
