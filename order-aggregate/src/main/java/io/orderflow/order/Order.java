package io.orderflow.order;

import io.orderflow.order.api.OrderAcceptedEvent;
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
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The event-sourced order. It decides whether an order is accepted and records every state change as an event;
 * its state is rebuilt from those events and nothing else.
 */
@Aggregate
class Order {

    static final int CONTRACT_VERSION = Integer.parseInt(OrderAcceptedEvent.REVISION);

    @AggregateIdentifier
    private OrderId orderId;
    private OrderStatus status;
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
    PlaceOrderResult handle(PlaceOrderCommand command, Catalogue catalogue) {
        List<OrderLine> lines = new ArrayList<>(command.lines().size());
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < command.lines().size(); i++) {
            OrderLine line = price(command, i, catalogue);
            lines.add(line);
            total = total.add(line.lineTotal());
        }
        String currency = command.currency().getCurrencyCode();
        apply(new OrderAcceptedEvent(command.orderId(), command.customerId(), lines, total, currency,
                command.deliveryAddress(), command.addressVersion(), CONTRACT_VERSION));
        return new PlaceOrderResult(orderId, total, currency, version);
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
        status = OrderStatus.ACCEPTED;
        version = sequence;
    }

    OrderStatus status() {
        return status;
    }
}
