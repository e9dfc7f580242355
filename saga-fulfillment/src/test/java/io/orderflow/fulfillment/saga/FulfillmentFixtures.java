package io.orderflow.fulfillment.saga;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.fulfillment.api.DeliveryAddressReadyEvent;
import io.orderflow.fulfillment.api.PaymentAttemptFailedEvent;
import io.orderflow.fulfillment.api.PaymentAuthorizedEvent;
import io.orderflow.fulfillment.api.PaymentDeclinedEvent;
import io.orderflow.fulfillment.api.ShipmentArrangedEvent;
import io.orderflow.fulfillment.api.ShipmentFailedEvent;
import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.api.StockReservationRejectedEvent;
import io.orderflow.fulfillment.api.StockReservedEvent;
import io.orderflow.fulfillment.api.StockShortage;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.Sku;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Named test data for the fulfillment saga: one order of two beans and a mug, and the facts about it. */
final class FulfillmentFixtures {

    static final OrderId ORDER_ID = OrderId.of("7f1c2d9e-4b1a-4c55-9a43-0f7e3c1a2b10");
    static final CustomerId CUSTOMER_ID = CustomerId.of("c0ffee00-1111-4222-8333-444455556666");
    static final PostalAddress HOME = new PostalAddress("Hauptstr. 1", "Berlin", "10115", "DE");
    static final PostalAddress NEW_HOME = new PostalAddress("Elbchaussee 9", "Hamburg", "22763", "DE");
    static final String KEY = ORDER_ID.toString();
    static final BigDecimal TOTAL = new BigDecimal("52.97");
    static final List<StockLine> LINES =
            List.of(new StockLine(new Sku("SKU-1"), 2), new StockLine(new Sku("SKU-2"), 1));
    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private FulfillmentFixtures() {
    }

    static OrderAcceptedEvent acceptedWithAddress() {
        return accepted(HOME, null);
    }

    static OrderAcceptedEvent acceptedWaitingForVersion(long version) {
        return accepted(null, version);
    }

    private static OrderAcceptedEvent accepted(PostalAddress address, Long version) {
        return new OrderAcceptedEvent(ORDER_ID, CUSTOMER_ID, List.of(
                new OrderLine(new Sku("SKU-1"), "Beans", 2, new BigDecimal("19.99"), new BigDecimal("39.98")),
                new OrderLine(new Sku("SKU-2"), "Mug", 1, new BigDecimal("12.99"), new BigDecimal("12.99"))),
                TOTAL, "EUR", address, version, NOW, 2);
    }

    static StockReservedEvent stockReserved() {
        return new StockReservedEvent(ORDER_ID, LINES);
    }

    static StockReservationRejectedEvent outOfStock() {
        return new StockReservationRejectedEvent(ORDER_ID, List.of(new StockShortage(new Sku("SKU-1"), 2, 1)));
    }

    static PaymentAuthorizedEvent paymentAuthorized() {
        return new PaymentAuthorizedEvent(ORDER_ID, KEY, TOTAL, "EUR", NOW);
    }

    static PaymentDeclinedEvent paymentDeclined() {
        return new PaymentDeclinedEvent(ORDER_ID, KEY, "amount above the limit");
    }

    static PaymentAttemptFailedEvent paymentAttemptFailed(int attempt, Boolean charged) {
        return new PaymentAttemptFailedEvent(ORDER_ID, attempt, charged, "provider answered 503");
    }

    static ShipmentArrangedEvent shipmentArranged() {
        return new ShipmentArrangedEvent(ORDER_ID, "5b0e1d7c-0000-4000-8000-000000000001", "orderflow-post", HOME);
    }

    static ShipmentFailedEvent shipmentFailed() {
        return new ShipmentFailedEvent(ORDER_ID, HOME, "no carrier serves AQ");
    }

    static OrderCancelledEvent cancelled() {
        return new OrderCancelledEvent(ORDER_ID, "changed my mind");
    }

    static DeliveryAddressReadyEvent addressReady(long version) {
        return new DeliveryAddressReadyEvent(ORDER_ID, CUSTOMER_ID, version, NEW_HOME);
    }
}
