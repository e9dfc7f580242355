package io.orderflow.fulfillment.shipment;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;

import java.util.Objects;

/** What the fulfillment saga asks of shipping. Each is idempotent per order. */
public final class ShipmentCommands {

    private ShipmentCommands() {
    }

    /** Book a carrier for the order's parcel to the delivery address of the customer. */
    public record ArrangeShipmentCommand(OrderId orderId, CustomerId customerId, PostalAddress deliveryAddress) {
        public ArrangeShipmentCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
            Objects.requireNonNull(customerId, "customerId must not be null");
            Objects.requireNonNull(deliveryAddress, "deliveryAddress must not be null");
        }
    }

    /** Call off the order's shipment (compensation); nothing happens if none is arranged. */
    public record CancelShipmentCommand(OrderId orderId) {
        public CancelShipmentCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /**
     * What arranging a shipment came to. {@code repeated} says it was decided before, so no event reports it this
     * time: the caller must act on this answer.
     */
    public record ShipmentResult(ShipmentState state, boolean repeated) {
    }

    /** Where an order's shipment stands after a command. */
    public enum ShipmentState {
        ARRANGED, FAILED, CANCELLED, NONE
    }
}
