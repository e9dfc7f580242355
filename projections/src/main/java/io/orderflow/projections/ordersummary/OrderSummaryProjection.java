package io.orderflow.projections.ordersummary;

import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderAwaitingAddressEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.OrderShipmentArrangedEvent;
import io.orderflow.order.api.OrderStatus;
import io.orderflow.order.api.OrderStockReservedEvent;
import io.orderflow.projections.api.CustomerOrdersPage;
import io.orderflow.projections.api.FindCustomerOrdersQuery;
import io.orderflow.projections.api.FindOrderSummaryQuery;
import io.orderflow.projections.api.OrderSummaryView;
import io.orderflow.projections.generation.ProjectionGenerations;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;

/**
 * Builds the order summary from the order events in the event store. It can be rebuilt at any time by a reset,
 * which replays the store into a new generation while reads keep the current one (ADR 0010). Its writes are
 * gathered per batch ({@link OrderSummaryWrites}); its reads go through JPA.
 */
@Component
@ProcessingGroup(OrderSummaryProjection.PROCESSING_GROUP)
class OrderSummaryProjection {

    static final String PROCESSING_GROUP = ProjectionProcessors.ORDER_SUMMARY;

    private final OrderSummaryRepository repository;
    private final OrderSummaryWrites writes;
    private final ProjectionGenerations generations;
    private final OrderLatencies latencies;

    OrderSummaryProjection(OrderSummaryRepository repository, OrderSummaryWrites writes,
                           ProjectionGenerations generations, OrderLatencies latencies) {
        this.repository = repository;
        this.writes = writes;
        this.generations = generations;
        this.latencies = latencies;
    }

    /** An erased customer's orders stay, with their delivery addresses' personal parts erased (ADR 0032). */
    @EventHandler
    void on(CustomerErasedEvent event) {
        writes.erased(event.customerId().value());
    }

    @EventHandler
    void on(OrderAcceptedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        writes.accepted(generations.writing(PROCESSING_GROUP), event)
                .apply(sequence, "OrderAccepted", at, "ACCEPTED", null);
    }

    @EventHandler
    void on(OrderAwaitingAddressEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        progress(event.orderId(), sequence, "OrderAwaitingAddress", at, OrderStatus.AWAITING_ADDRESS, null);
    }

    @EventHandler
    void on(OrderStockReservedEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        progress(event.orderId(), sequence, "OrderStockReserved", at, OrderStatus.STOCK_RESERVED, null, replay,
                OrderLatencies.STOCK_RESERVED);
    }

    @EventHandler
    void on(OrderPaymentAuthorizedEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        progress(event.orderId(), sequence, "OrderPaymentAuthorized", at, OrderStatus.PAYMENT_AUTHORIZED, null, replay,
                OrderLatencies.PAYMENT_AUTHORIZED);
    }

    @EventHandler
    void on(OrderShipmentArrangedEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        progress(event.orderId(), sequence, "OrderShipmentArranged", at, OrderStatus.SHIPMENT_ARRANGED, null, replay,
                OrderLatencies.SHIPMENT_ARRANGED);
    }

    @EventHandler
    void on(OrderCompletedEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        progress(event.orderId(), sequence, "OrderCompleted", at, OrderStatus.COMPLETED, null, replay,
                OrderLatencies.COMPLETED);
    }

    @EventHandler
    void on(OrderFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        progress(event.orderId(), sequence, "OrderFailed", at, OrderStatus.FAILED, event.reason().name(), replay,
                OrderLatencies.FAILED);
    }

    @EventHandler
    void on(OrderCancelledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        progress(event.orderId(), sequence, "OrderCancelled", at, OrderStatus.CANCELLED, null);
    }

    /**
     * Moves a known order on. An order's events arrive in sequence within its segment, so the summary exists by the
     * time a later event of the same order is handled; a missing one means the projection is broken, not late.
     */
    private void progress(OrderId orderId, long sequence, String type, Instant at, OrderStatus status,
                          String failureReason) {
        writes.known(generations.writing(PROCESSING_GROUP), orderId, sequence, type)
                .apply(sequence, type, at, status.name(), failureReason);
    }

    /** Moves a known order on to a fulfillment step, and measures the step's latency from live events. */
    private void progress(OrderId orderId, long sequence, String type, Instant at, OrderStatus status,
                          String failureReason, ReplayStatus replay, String step) {
        OrderSummaryWrites.Row row = writes.known(generations.writing(PROCESSING_GROUP), orderId, sequence, type);
        if (row.apply(sequence, type, at, status.name(), failureReason) && !replay.isReplay()) {
            latencies.reached(step, row.acceptedAt, at);
        }
    }

    /** A replay builds a new generation beside the served one, which reads keep seeing until it is done. */
    @ResetHandler
    void onReset() {
        generations.beginRebuild(PROCESSING_GROUP);
    }

    @QueryHandler
    Optional<OrderSummaryView> handle(FindOrderSummaryQuery query) {
        return repository.findById(new OrderSummaryEntity.Key(generations.serving(PROCESSING_GROUP),
                query.orderId().value())).map(OrderSummaryEntity::toView);
    }

    @QueryHandler
    CustomerOrdersPage handle(FindCustomerOrdersQuery query) {
        Page<OrderSummaryEntity> page = repository.findByGenerationAndCustomerId(
                generations.serving(PROCESSING_GROUP), query.customerId().value(),
                PageRequest.of(query.page(), query.size(), Sort.by(Sort.Order.desc("acceptedAt"),
                        Sort.Order.asc("orderId"))));
        return new CustomerOrdersPage(page.map(OrderSummaryEntity::toView).getContent(), query.page(), query.size(),
                page.getTotalElements());
    }
}
