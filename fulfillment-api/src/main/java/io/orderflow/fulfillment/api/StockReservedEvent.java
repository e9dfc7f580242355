package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Stock for every line of the order is reserved: taken from available, held as reserved.
 */
@Revision("1")
public record StockReservedEvent(OrderId orderId, List<StockLine> lines) implements FulfillmentEvent {

    public StockReservedEvent {
        lines = List.copyOf(lines);
    }
}
