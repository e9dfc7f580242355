package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * The order could not be reserved as a whole; nothing was taken.
 */
@Revision("1")
public record StockReservationRejectedEvent(OrderId orderId, List<StockShortage> shortages) implements FulfillmentEvent {

    public StockReservationRejectedEvent {
        shortages = List.copyOf(shortages);
    }
}
