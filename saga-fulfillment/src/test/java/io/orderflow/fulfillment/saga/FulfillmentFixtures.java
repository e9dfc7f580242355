package io.orderflow.fulfillment.saga;

import io.orderflow.fixtures.Examples;
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
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.Sku;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Named test data for the fulfillment saga: the shared example order ({@link Examples}) of two beans and a mug, and
 * the facts about it.
 */
final class FulfillmentFixtures {

    static final OrderId ORDER_ID = Examples.ORDER;
    static final CustomerId CUSTOMER_ID = Examples.ADA;
    static final PostalAddress HOME = Examples.BERLIN;
    static final PostalAddress NEW_HOME = Examples.HAMBURG;
    static final String KEY = ORDER_ID.toString();
    static final BigDecimal TOTAL = Examples.ORDER_TOTAL.amount();
    static final Money TOTAL_MONEY = Examples.ORDER_TOTAL;
    static final List<StockLine> LINES =
            List.of(new StockLine(new Sku("SKU-1"), 2), new StockLine(new Sku("SKU-2"), 1));
    static final Instant NOW = Examples.NOW;

    private FulfillmentFixtures() {
    }

    static OrderAcceptedEvent acceptedWithAddress() {
        return Examples.accepted(ORDER_ID, HOME);
    }

    static OrderAcceptedEvent acceptedWaitingForVersion(long version) {
        return Examples.acceptedForAddressVersion(ORDER_ID, version);
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
        return new ShipmentArrangedEvent(ORDER_ID, "5b0e1d7c-0000-4000-8000-000000000001", "orderflow-post", HOME,
                CUSTOMER_ID);
    }

    static ShipmentFailedEvent shipmentFailed() {
        return new ShipmentFailedEvent(ORDER_ID, HOME, "no carrier serves AQ", CUSTOMER_ID);
    }

    static OrderCancelledEvent cancelled() {
        return new OrderCancelledEvent(ORDER_ID, "changed my mind");
    }

    static DeliveryAddressReadyEvent addressReady(long version) {
        return new DeliveryAddressReadyEvent(ORDER_ID, CUSTOMER_ID, version, NEW_HOME);
    }
}
