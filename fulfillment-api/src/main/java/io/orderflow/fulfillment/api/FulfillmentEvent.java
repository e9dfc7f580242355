package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;

/**
 * A fact recorded by a fulfillment participant about one order. Kafka keys these by the order id, so one order's
 * facts stay in order on one partition.
 */
public sealed interface FulfillmentEvent permits StockReservedEvent, StockReservationRejectedEvent,
        StockReleasedEvent, StockShippedEvent, PaymentAuthorizedEvent, PaymentDeclinedEvent,
        PaymentAttemptFailedEvent, PaymentVoidedEvent, ShipmentArrangedEvent, ShipmentFailedEvent,
        ShipmentCancelledEvent, DeliveryAddressReadyEvent {

    /** The order this fact is about. */
    OrderId orderId();
}
