package io.orderflow.order.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.values.Required;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

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
            Required.nonNull("orderId", orderId);
        }
    }

    /** Stock for every line is reserved. */
    public record RecordStockReservedCommand(@TargetAggregateIdentifier OrderId orderId) {
        public RecordStockReservedCommand {
            Required.nonNull("orderId", orderId);
        }
    }

    /**
     * The payment provider authorized {@code authorized}, as the payment ledger records it. The order refuses an
     * amount other than its total, so a wrong or forged fact upstream cannot let an order ship underpaid.
     */
    public record RecordPaymentAuthorizedCommand(@TargetAggregateIdentifier OrderId orderId, Money authorized) {
        public RecordPaymentAuthorizedCommand {
            Required.nonNull("orderId", orderId);
            Required.nonNull("authorized", authorized);
        }
    }

    /** A shipment to the delivery address is arranged. */
    public record RecordShipmentArrangedCommand(@TargetAggregateIdentifier OrderId orderId) {
        public RecordShipmentArrangedCommand {
            Required.nonNull("orderId", orderId);
        }
    }

    /** Fulfillment finished. */
    public record CompleteOrderCommand(@TargetAggregateIdentifier OrderId orderId) {
        public CompleteOrderCommand {
            Required.nonNull("orderId", orderId);
        }
    }

    /** Fulfillment gave up, for a reason; what was done has been compensated. */
    public record FailOrderCommand(@TargetAggregateIdentifier OrderId orderId, FailureReason reason) {
        public FailOrderCommand {
            Required.nonNull("orderId", orderId);
            Required.nonNull("reason", reason);
        }
    }

    /** The customer cancels the order; allowed until a shipment is arranged. */
    /**
     * Cancels an order. {@code requestedBy} is the customer asking, who may cancel only their own order; null when
     * an operator or a service acts.
     */
    public record CancelOrderCommand(@TargetAggregateIdentifier OrderId orderId, String reason,
                                     CustomerId requestedBy) {

        public static final int MAX_REASON_LENGTH = 500;

        public CancelOrderCommand {
            Required.nonNull("orderId", orderId);
            Required.text("reason", reason, MAX_REASON_LENGTH);
        }

        /** A cancellation by an operator or a service. */
        public CancelOrderCommand(OrderId orderId, String reason) {
            this(orderId, reason, null);
        }
    }

    /** What every lifecycle command answers: the state after it, and the version that state has. */
    public record OrderWriteResult(OrderId orderId, OrderStatus status, long version) {
    }
}
