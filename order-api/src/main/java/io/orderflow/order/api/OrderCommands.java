package io.orderflow.order.api;

import io.orderflow.values.Required;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;

/**
 * The commands that move an accepted order through fulfillment, sent by the fulfillment saga, and the customer's
 * cancellation. Each is idempotent: sending it again after it took effect changes nothing and answers the current
 * state.
 */
public final class OrderCommands {

    private OrderCommands() {
    }

    /** Fulfillment waits for the customer's address to reach the version the order names. */
    public record MarkOrderAwaitingAddressCommand(@TargetAggregateIdentifier OrderId orderId) {
        public MarkOrderAwaitingAddressCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /** Stock for every line is reserved. */
    public record RecordStockReservedCommand(@TargetAggregateIdentifier OrderId orderId) {
        public RecordStockReservedCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /** The payment provider authorized the order's total. */
    public record RecordPaymentAuthorizedCommand(@TargetAggregateIdentifier OrderId orderId) {
        public RecordPaymentAuthorizedCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /** A shipment to the delivery address is arranged. */
    public record RecordShipmentArrangedCommand(@TargetAggregateIdentifier OrderId orderId) {
        public RecordShipmentArrangedCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /** Fulfillment finished. */
    public record CompleteOrderCommand(@TargetAggregateIdentifier OrderId orderId) {
        public CompleteOrderCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /** Fulfillment gave up, for a reason; what was done has been compensated. */
    public record FailOrderCommand(@TargetAggregateIdentifier OrderId orderId, FailureReason reason) {
        public FailOrderCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
            Objects.requireNonNull(reason, "reason must not be null");
        }
    }

    /** The customer cancels the order; allowed until a shipment is arranged. */
    public record CancelOrderCommand(@TargetAggregateIdentifier OrderId orderId, String reason) {

        public static final int MAX_REASON_LENGTH = 500;

        public CancelOrderCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
            Required.text("reason", reason, MAX_REASON_LENGTH);
        }
    }

    /** What every lifecycle command answers: the state after it, and the version that state has. */
    public record OrderWriteResult(OrderId orderId, OrderStatus status, long version) {
    }
}
