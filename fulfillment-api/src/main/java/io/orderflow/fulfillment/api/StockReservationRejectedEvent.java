package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The order could not be reserved as a whole; nothing was taken.
 */
@Revision("1")
public record StockReservationRejectedEvent(OrderId orderId,
                                            List<StockShortage> shortages) implements FulfillmentEvent {

    public StockReservationRejectedEvent {
        shortages = List.copyOf(shortages);
    }
}
