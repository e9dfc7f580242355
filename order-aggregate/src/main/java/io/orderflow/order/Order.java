package io.orderflow.order;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.order.api.Money;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderAwaitingAddressEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCommands.CancelOrderCommand;
import io.orderflow.order.api.OrderCommands.CompleteOrderCommand;
import io.orderflow.order.api.OrderCommands.FailOrderCommand;
import io.orderflow.order.api.OrderCommands.MarkOrderAwaitingAddressCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderCommands.RecordShipmentArrangedCommand;
import io.orderflow.order.api.OrderCommands.RecordStockReservedCommand;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.OrderShipmentArrangedEvent;
import io.orderflow.order.api.OrderStatus;
import io.orderflow.order.api.OrderStockReservedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.order.api.OrderRejectedException.Reason;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.PlaceOrderResult;
import io.orderflow.order.api.RequestedLine;
import io.orderflow.order.catalogue.Catalogue;
import io.orderflow.order.catalogue.CatalogueItem;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The event-sourced order. It decides whether an order is accepted and records every state change as an event;
 * its state is rebuilt from those events and nothing else.
 */
@Aggregate(snapshotTriggerDefinition = OrderAggregateConfiguration.SNAPSHOT_TRIGGER,
        cache = OrderAggregateConfiguration.CACHE, snapshotFilter = OrderAggregateConfiguration.SNAPSHOT_FILTER)
// The snapshot's revision: a snapshot of another one (written before the order knew its customer, or its total) is
// passed over and the order is rebuilt from its events, then snapshotted anew.
@Revision(OrderAggregateConfiguration.SNAPSHOT_REVISION)
// Snapshots are written by Axon's Jackson serializer, which sees private fields only when told to.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Order {

    static final int CONTRACT_VERSION = Integer.parseInt(OrderAcceptedEvent.REVISION);

    @AggregateIdentifier
    private OrderId orderId;
    /** Whose order it is: a customer may cancel only their own. */
    private CustomerId customerId;
    /** What the customer owes: an authorization of any other amount is refused (a forged or wrong fact). */
    private Money total;
    private OrderStatus status;
    private boolean stockReserved;
    private boolean paymentAuthorized;
    private boolean shipmentArranged;
    private FailureReason failureReason;
    /** Why the order was cancelled: a repeated cancellation is the same request only with the same reason. */
    private String cancellationReason;
    /** Sequence number of the last event applied: the version a write answers with. */
    private long version;

    protected Order() {
        // Axon rebuilds the aggregate from its events through this constructor.
    }

    /**
     * Prices every line from the catalogue, checks it against what the client said it showed the customer,
     * and accepts the order. The method form (rather than a constructor) lets the handler answer with the total
     * and the version, which the API returns so the client can read its own write.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    PlaceOrderResult handle(PlaceOrderCommand command, Catalogue catalogue, Clock clock) {
        List<OrderLine> lines = new ArrayList<>(command.lines().size());
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < command.lines().size(); i++) {
            OrderLine line = price(command, i, catalogue);
            lines.add(line);
            total = total.add(line.lineTotal());
        }
        String currency = command.currency().getCurrencyCode();
        if (total.signum() <= 0 || total.compareTo(PlaceOrderCommand.MAX_TOTAL) > 0) {
            throw new OrderRejectedException(Reason.TOTAL_OUT_OF_RANGE, "lines", "the total must be more than zero "
                    + "and at most " + PlaceOrderCommand.MAX_TOTAL.toPlainString() + " " + currency + "; it is "
                    + total.toPlainString());
        }
        apply(new OrderAcceptedEvent(command.orderId(), command.customerId(), lines, total, currency,
                command.deliveryAddress(), command.addressVersion(), clock.instant(), CONTRACT_VERSION));
        return new PlaceOrderResult(orderId, new Money(total, command.currency()), version);
    }

    // Fulfillment reports its progress. Each step is idempotent: reported again, it changes nothing and answers the
    // current state, because the saga may deliver a command twice (after a crash or a retry). A report that crosses
    // the customer's cancellation is not an error either: it changes nothing and answers CANCELLED, and the saga
    // compensates once it sees the cancellation.

    @CommandHandler
    OrderWriteResult handle(MarkOrderAwaitingAddressCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return result();
        }
        requireOpen("wait for an address");
        if (status != OrderStatus.AWAITING_ADDRESS) {
            if (shipmentArranged) {
                throw rejected("wait for an address", "a shipment is already arranged");
            }
            apply(new OrderAwaitingAddressEvent(orderId));
        }
        return result();
    }

    @CommandHandler
    OrderWriteResult handle(RecordStockReservedCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return result();
        }
        if (!stockReserved) {
            requireOpen("reserve stock");
            apply(new OrderStockReservedEvent(orderId));
        }
        return result();
    }

    @CommandHandler
    OrderWriteResult handle(RecordPaymentAuthorizedCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return result();
        }
        if (!paymentAuthorized) {
            requireOpen("authorize payment");
            if (!stockReserved) {
                throw rejected("authorize payment", "its stock is not reserved");
            }
            if (!sameAmount(command.authorized(), total)) {
                throw rejected("authorize payment", "the authorization is for " + command.authorized()
                        + ", not for the order's total " + total);
            }
            apply(new OrderPaymentAuthorizedEvent(orderId));
        }
        return result();
    }

    @CommandHandler
    OrderWriteResult handle(RecordShipmentArrangedCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return result();
        }
        if (!shipmentArranged) {
            requireOpen("arrange a shipment");
            if (!paymentAuthorized) {
                throw rejected("arrange a shipment", "its payment is not authorized");
            }
            apply(new OrderShipmentArrangedEvent(orderId));
        }
        return result();
    }

    @CommandHandler
    OrderWriteResult handle(CompleteOrderCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return result();
        }
        if (status != OrderStatus.COMPLETED) {
            requireOpen("complete");
            if (!shipmentArranged) {
                throw rejected("complete", "no shipment is arranged");
            }
            apply(new OrderCompletedEvent(orderId));
        }
        return result();
    }

    @CommandHandler
    OrderWriteResult handle(FailOrderCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return result();
        }
        if (status == OrderStatus.FAILED && failureReason == command.reason()) {
            return result();
        }
        requireOpen("fail");
        if (shipmentArranged) {
            throw rejected("fail", "a shipment is already arranged");
        }
        apply(new OrderFailedEvent(orderId, command.reason()));
        return result();
    }

    /** The customer may cancel until a shipment is arranged; cancelling again answers the cancelled order. */
    @CommandHandler
    OrderWriteResult handle(CancelOrderCommand command) {
        if (command.requestedBy() != null && !command.requestedBy().equals(customerId)) {
            // Another customer's order is, to them, an order that does not exist.
            throw new OrderRejectedException(Reason.NOT_THE_CUSTOMERS, null, "no order " + command.orderId());
        }
        if (status == OrderStatus.CANCELLED) {
            // The same cancellation again (a client's retry) gets the same answer; another one lost the race.
            if (java.util.Objects.equals(cancellationReason, command.reason())) {
                return result();
            }
            throw rejected("cancel", "it was already cancelled, for another reason");
        }
        requireOpen("cancel");
        if (shipmentArranged) {
            throw rejected("cancel", "its shipment is already arranged");
        }
        apply(new OrderCancelledEvent(orderId, command.reason()));
        return result();
    }

    private void requireOpen(String action) {
        if (status.isTerminal()) {
            throw rejected(action, "it is " + status);
        }
    }

    private static boolean sameAmount(Money a, Money b) {
        return a.currency().equals(b.currency()) && a.amount().compareTo(b.amount()) == 0;
    }

    private OrderRejectedException rejected(String action, String why) {
        return new OrderRejectedException(Reason.INVALID_TRANSITION, null,
                "order " + orderId + " cannot " + action + ": " + why);
    }

    private OrderWriteResult result() {
        return new OrderWriteResult(orderId, status, version);
    }

    private static OrderLine price(PlaceOrderCommand command, int index, Catalogue catalogue) {
        RequestedLine requested = command.lines().get(index);
        String field = "lines[" + index + "]";
        CatalogueItem item = catalogue.find(requested.sku()).orElseThrow(() -> new OrderRejectedException(
                Reason.UNKNOWN_SKU, field + ".sku", "the catalogue has no SKU " + requested.sku()));
        if (!item.unitPrice().currency().equals(command.currency())) {
            throw new OrderRejectedException(Reason.CURRENCY_MISMATCH, "currency",
                    requested.sku() + " is sold in " + item.unitPrice().currency().getCurrencyCode()
                            + ", not in " + command.currency().getCurrencyCode());
        }
        BigDecimal unitPrice = item.unitPrice().amount();
        if (requested.shownUnitPrice() != null && requested.shownUnitPrice().compareTo(unitPrice) != 0) {
            throw new OrderRejectedException(Reason.PRICE_CHANGED, field + ".unitPrice",
                    "the price of " + requested.sku() + " is now " + item.unitPrice()
                            + ", not " + requested.shownUnitPrice().toPlainString());
        }
        BigDecimal lineTotal = item.unitPrice().times(requested.quantity()).amount();
        return new OrderLine(requested.sku(), item.name(), requested.quantity(), unitPrice, lineTotal);
    }

    @EventSourcingHandler
    void on(OrderAcceptedEvent event, @SequenceNumber long sequence) {
        orderId = event.orderId();
        customerId = event.customerId();
        total = Money.of(event.totalAmount().toPlainString(), event.currency());
        status = OrderStatus.ACCEPTED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderAwaitingAddressEvent event, @SequenceNumber long sequence) {
        status = OrderStatus.AWAITING_ADDRESS;
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderStockReservedEvent event, @SequenceNumber long sequence) {
        stockReserved = true;
        status = OrderStatus.STOCK_RESERVED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderPaymentAuthorizedEvent event, @SequenceNumber long sequence) {
        paymentAuthorized = true;
        status = OrderStatus.PAYMENT_AUTHORIZED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderShipmentArrangedEvent event, @SequenceNumber long sequence) {
        shipmentArranged = true;
        status = OrderStatus.SHIPMENT_ARRANGED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderCompletedEvent event, @SequenceNumber long sequence) {
        status = OrderStatus.COMPLETED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderFailedEvent event, @SequenceNumber long sequence) {
        status = OrderStatus.FAILED;
        failureReason = event.reason();
        version = sequence;
    }

    @EventSourcingHandler
    void on(OrderCancelledEvent event, @SequenceNumber long sequence) {
        status = OrderStatus.CANCELLED;
        cancellationReason = event.reason();
        version = sequence;
    }

    OrderStatus status() {
        return status;
    }
}
