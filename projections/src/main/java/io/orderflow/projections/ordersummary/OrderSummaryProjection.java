package io.orderflow.projections.ordersummary;

import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.projections.api.FindOrderSummaryQuery;
import io.orderflow.projections.api.OrderSummaryView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;

/**
 * Builds the order summary from the order events in the event store. It can be rebuilt at any time by a reset,
 * which empties the table and replays the store.
 */
@Component
@ProcessingGroup(OrderSummaryProjection.PROCESSING_GROUP)
class OrderSummaryProjection {

    static final String PROCESSING_GROUP = "order-summary";

    private final OrderSummaryRepository repository;

    OrderSummaryProjection(OrderSummaryRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(OrderAcceptedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        OrderSummaryEntity summary = repository.findById(event.orderId().value()).orElseGet(() ->
                new OrderSummaryEntity(event.orderId().value(), event.customerId().value(),
                        event.lines().stream().map(line -> new OrderSummaryView.Line(line.sku().value(), line.name(),
                                line.quantity(), line.unitPrice(), line.lineTotal())).toList(),
                        event.totalAmount(), event.currency(), event.deliveryAddress(), event.addressVersion()));
        if (summary.apply(sequence, "OrderAccepted", at, "ACCEPTED")) {
            repository.save(summary);
        }
    }

    @ResetHandler
    void onReset() {
        repository.deleteAllInBatch();
    }

    @QueryHandler
    Optional<OrderSummaryView> handle(FindOrderSummaryQuery query) {
        return repository.findById(query.orderId().value()).map(OrderSummaryEntity::toView);
    }
}
