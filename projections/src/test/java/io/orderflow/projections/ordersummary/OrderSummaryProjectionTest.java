package io.orderflow.projections.ordersummary;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderAwaitingAddressEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.OrderShipmentArrangedEvent;
import io.orderflow.order.api.OrderStockReservedEvent;
import io.orderflow.order.api.Sku;
import io.orderflow.projections.api.CustomerOrdersPage;
import io.orderflow.projections.api.FindCustomerOrdersQuery;
import io.orderflow.projections.api.FindOrderSummaryQuery;
import io.orderflow.projections.api.OrderSummaryView;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.generation.ProjectionGenerations;
import io.orderflow.projections.testing.Generations;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.Mockito;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The order summary, event in and query out: each order event moves the order to its status and adds a line to its
 * history, an event at or below the version already applied changes nothing, a later event of an order whose
 * acceptance was never applied is refused, a rebuild writes a new generation that reads see only once it is served,
 * and a customer's orders are listed newest first, page by page.
 *
 * <p>The events reach the projection as its processor hands them over: as messages with their sequence number and
 * timestamp, through the annotated handlers, in a batch (one unit of work) that commits. What the batch writes is
 * kept in memory and read back through the query handlers ({@link WrittenOrderSummaries}). Each order's events come
 * in one batch: serving a stored row back to a later batch would need PostgreSQL, so that path (and the UPDATE of a
 * stored row) is left to the integration tests, and {@link OrderSummaryWritesTest} covers the rule it relies on.
 */
class OrderSummaryProjectionTest {

    private static final CustomerId ADA = new CustomerId(UUID.fromString("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b"));
    private static final CustomerId BOB = new CustomerId(UUID.fromString("7f1e2d3c-4b5a-4968-8776-655443322110"));
    private static final OrderId ORDER = order(0xA1);
    private static final PostalAddress HOME = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    private static final Instant ACCEPTED_AT = Instant.parse("2025-03-01T09:00:00Z");

    private final WrittenOrderSummaries table = new WrittenOrderSummaries();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Generations generations = new Generations();
    private ProjectionGenerations generationsMock;
    private OrderSummaryProjection projection;
    private AnnotationEventHandlerAdapter handlers;

    @BeforeEach
    void setUp() {
        generationsMock = generations.mock();
        projection = new OrderSummaryProjection(table.repository(), new OrderSummaryWrites(table.jdbc(),
                org.mockito.Mockito.mock(io.orderflow.projections.generation.ChangeNotices.class)),
                generationsMock, new OrderLatencies(meters));
        handlers = new AnnotationEventHandlerAdapter(projection);
    }

    @Test
    void givenNothing_whenAnOrderIsAccepted_thenItsSummaryShowsTheAcceptedOrder() {
        batch(lifecycle(ORDER));

        assertThat(read(ORDER)).contains(new OrderSummaryView(ORDER.value(), ADA.value(), "ACCEPTED", null,
                List.of(new OrderSummaryView.Line("TEA-01", "Green tea", 2, new BigDecimal("4.50"),
                                new BigDecimal("9.00")),
                        new OrderSummaryView.Line("MUG-02", "Mug", 1, new BigDecimal("12.00"),
                                new BigDecimal("12.00"))),
                new BigDecimal("21.00"), "EUR", HOME, null,
                List.of(new OrderSummaryView.HistoryEntry("OrderAccepted", ACCEPTED_AT)), 0));
    }

    @Test
    void givenAnOrderThatWaitsForTheCustomersAddress_whenAccepted_thenItsSummaryNamesTheAddressVersionAndNoAddress() {
        batch(List.of(event(ORDER, 0, accepted(ORDER, ADA, ACCEPTED_AT, null, 3L), ACCEPTED_AT)));

        OrderSummaryView view = read(ORDER).orElseThrow();
        assertThat(view.deliveryAddress()).isNull();
        assertThat(view.addressVersion()).isEqualTo(3L);
    }

    static Stream<Arguments> lifecycles() {
        OrderAwaitingAddressEvent awaiting = new OrderAwaitingAddressEvent(ORDER);
        OrderStockReservedEvent reserved = new OrderStockReservedEvent(ORDER);
        OrderPaymentAuthorizedEvent paid = new OrderPaymentAuthorizedEvent(ORDER);
        OrderShipmentArrangedEvent arranged = new OrderShipmentArrangedEvent(ORDER);
        return Stream.of(
                Arguments.of("acceptance alone", List.of(), "ACCEPTED", null),
                Arguments.of("awaiting the address", List.of(awaiting), "AWAITING_ADDRESS", null),
                Arguments.of("stock reserved after the address came", List.of(awaiting, reserved), "STOCK_RESERVED",
                        null),
                Arguments.of("stock reserved", List.of(reserved), "STOCK_RESERVED", null),
                Arguments.of("payment authorized", List.of(reserved, paid), "PAYMENT_AUTHORIZED", null),
                Arguments.of("shipment arranged", List.of(reserved, paid, arranged), "SHIPMENT_ARRANGED", null),
                Arguments.of("completed", List.of(reserved, paid, arranged, new OrderCompletedEvent(ORDER)),
                        "COMPLETED", null),
                Arguments.of("cancelled by the customer", List.of(new OrderCancelledEvent(ORDER, "changed my mind")),
                        "CANCELLED", null),
                Arguments.of("failed for want of stock", List.of(new OrderFailedEvent(ORDER,
                        FailureReason.OUT_OF_STOCK)), "FAILED", "OUT_OF_STOCK"),
                Arguments.of("failed when the payment was declined", List.of(reserved, new OrderFailedEvent(ORDER,
                        FailureReason.PAYMENT_DECLINED)), "FAILED", "PAYMENT_DECLINED"));
    }

    @ParameterizedTest(name = "{0} shows {2}")
    @MethodSource("lifecycles")
    void givenAnAcceptedOrder_whenItsLaterEventsArrive_thenTheLastOneSetsTheStatus(
            String lifecycle, List<Object> after, String status, String failureReason) {
        batch(lifecycle(ORDER, after.toArray()));

        OrderSummaryView view = read(ORDER).orElseThrow();
        assertThat(view.status()).isEqualTo(status);
        assertThat(view.failureReason()).isEqualTo(failureReason);
        assertThat(view.version()).as("sequence of the last event applied").isEqualTo(after.size());
        assertThat(view.history()).hasSize(after.size() + 1);
    }

    @Test
    void givenACompletedOrder_whenRead_thenItsHistoryListsEveryEventWithItsTimeInOrder() {
        batch(lifecycle(ORDER, new OrderStockReservedEvent(ORDER), new OrderPaymentAuthorizedEvent(ORDER),
                new OrderShipmentArrangedEvent(ORDER), new OrderCompletedEvent(ORDER)));

        assertThat(read(ORDER).orElseThrow().history()).containsExactly(
                new OrderSummaryView.HistoryEntry("OrderAccepted", ACCEPTED_AT),
                new OrderSummaryView.HistoryEntry("OrderStockReserved", ACCEPTED_AT.plusSeconds(60)),
                new OrderSummaryView.HistoryEntry("OrderPaymentAuthorized", ACCEPTED_AT.plusSeconds(120)),
                new OrderSummaryView.HistoryEntry("OrderShipmentArranged", ACCEPTED_AT.plusSeconds(180)),
                new OrderSummaryView.HistoryEntry("OrderCompleted", ACCEPTED_AT.plusSeconds(240)));
        // Each step's latency from acceptance, by the events' timestamps, once the batch committed.
        assertThat(latency("stock_reserved").count()).isEqualTo(1);
        assertThat(latency("stock_reserved").totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(60);
        assertThat(latency("payment_authorized").totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(120);
        assertThat(latency("shipment_arranged").totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(180);
        assertThat(latency("completed").totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(240);
        assertThat(latency("failed").count()).isZero();
    }

    @Test
    void givenARebuild_whenItReplaysAnOrdersSteps_thenNoLatencyIsMeasuredAgain() {
        List<EventMessage<?>> replayed = new ArrayList<>();
        long position = 0;
        for (DomainEventMessage<?> event : lifecycle(ORDER, new OrderStockReservedEvent(ORDER),
                new OrderCompletedEvent(ORDER))) {
            position++;
            replayed.add(new GenericTrackedDomainEventMessage<>(ReplayToken.createReplayToken(
                    new GlobalSequenceTrackingToken(100), new GlobalSequenceTrackingToken(position)), event));
        }

        batch(replayed);

        assertThat(read(ORDER).orElseThrow().status()).isEqualTo("COMPLETED");
        assertThat(latency("stock_reserved").count()).isZero();
        assertThat(latency("completed").count()).isZero();
    }

    @Test
    void givenAnOrderAtVersionTwo_whenAnEventAtOrBelowItArrivesAgain_thenNothingChanges() {
        List<DomainEventMessage<?>> events = lifecycle(ORDER, new OrderStockReservedEvent(ORDER),
                new OrderPaymentAuthorizedEvent(ORDER));
        List<EventMessage<?>> batch = new ArrayList<>(events);
        batch.add(events.get(2));
        batch.add(events.get(1));
        batch.add(events.get(0));
        // Older sequence numbers carrying other facts are late, not news.
        batch.add(event(ORDER, 1, new OrderFailedEvent(ORDER, FailureReason.OUT_OF_STOCK),
                ACCEPTED_AT.plusSeconds(600)));
        batch.add(event(ORDER, 2, new OrderCancelledEvent(ORDER, "late"), ACCEPTED_AT.plusSeconds(600)));

        batch(batch);

        OrderSummaryView view = read(ORDER).orElseThrow();
        assertThat(view.status()).isEqualTo("PAYMENT_AUTHORIZED");
        assertThat(view.failureReason()).isNull();
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.history()).extracting(OrderSummaryView.HistoryEntry::type)
                .containsExactly("OrderAccepted", "OrderStockReserved", "OrderPaymentAuthorized");
        assertThat(table.inserts).as("rows per insert").containsExactly(1);
        assertThat(latency("stock_reserved").count()).as("a redelivery is not measured again").isEqualTo(1);
        assertThat(latency("payment_authorized").count()).isEqualTo(1);
        assertThat(latency("failed").count()).as("a late fact is not news").isZero();
    }

    @Test
    void givenAnAcceptedOrder_whenItsAcceptanceIsDeliveredAgainWithOtherContent_thenTheFirstAcceptanceStands() {
        OrderAcceptedEvent again = new OrderAcceptedEvent(ORDER, BOB, List.of(new OrderLine(new Sku("TEA-01"),
                "Green tea", 1, new BigDecimal("4.50"), new BigDecimal("4.50"))), new BigDecimal("4.50"), "CHF",
                null, 7L, ACCEPTED_AT.plusSeconds(3600), 2);

        batch(List.of(event(ORDER, 0, accepted(ORDER, ADA, ACCEPTED_AT, HOME, null), ACCEPTED_AT),
                event(ORDER, 0, again, ACCEPTED_AT.plusSeconds(3600))));

        OrderSummaryView view = read(ORDER).orElseThrow();
        assertThat(view.customerId()).isEqualTo(ADA.value());
        assertThat(view.totalAmount()).isEqualByComparingTo("21.00");
        assertThat(view.currency()).isEqualTo("EUR");
        assertThat(view.lines()).hasSize(2);
        assertThat(view.history()).hasSize(1);
    }

    @Test
    void givenNoAcceptance_whenALaterEventOfTheOrderArrives_thenTheHandlerRefusesItNamingTheOrderAndTheEvent() {
        // One order's events reach one segment in order, so this is a projection that missed an event, not a late
        // one; the handler throws so that the dead-letter queue parks the order's sequence.
        assertThatIllegalStateException()
                .isThrownBy(() -> batch(List.of(event(ORDER, 1, new OrderStockReservedEvent(ORDER),
                        ACCEPTED_AT))))
                .withMessageContaining(ORDER.toString())
                .withMessageContaining("event 1 (OrderStockReserved)");
        assertThat(read(ORDER)).isEmpty();
    }

    @Test
    void givenABatchOfSeveralOrders_whenItCommits_thenItReadsTheirRowsOnceAndInsertsThemInOneStatement() {
        OrderId first = order(1);
        OrderId second = order(2);
        OrderId third = order(3);
        List<EventMessage<?>> batch = new ArrayList<>();
        List<List<DomainEventMessage<?>>> orders = List.of(
                lifecycle(first, new OrderStockReservedEvent(first), new OrderCompletedEvent(first)),
                lifecycle(second, new OrderCancelledEvent(second, "no longer needed")),
                lifecycle(third, new OrderStockReservedEvent(third), new OrderFailedEvent(third,
                        FailureReason.PAYMENT_UNAVAILABLE)));
        for (int i = 0; i < 3; i++) {
            for (List<DomainEventMessage<?>> events : orders) {
                if (i < events.size()) {
                    batch.add(events.get(i));
                }
            }
        }

        batch(batch);

        assertThat(table.batchReads).containsExactly(new WrittenOrderSummaries.BatchRead(0,
                List.of(first.value(), second.value(), third.value())));
        assertThat(table.inserts).as("rows per insert").containsExactly(3);
        assertThat(read(first).orElseThrow().status()).isEqualTo("COMPLETED");
        assertThat(read(second).orElseThrow().status()).isEqualTo("CANCELLED");
        assertThat(read(third).orElseThrow().failureReason()).isEqualTo("PAYMENT_UNAVAILABLE");
    }

    @Test
    void givenAnAcceptedOrder_whenItsRowIsWritten_thenTheHistoryTimesAreIsoTextAsTheMigrationsReadThem() {
        batch(lifecycle(ORDER));

        assertThat((String) table.written(0, ORDER.value()).get("history"))
                .isEqualTo("[{\"type\":\"OrderAccepted\",\"at\":\"2025-03-01T09:00:00Z\"}]");
    }

    @Test
    void givenServedOrders_whenTheProjectionIsReset_thenReadsKeepTheServedGenerationUntilTheRebuildIsServed() {
        OrderId other = order(2);
        batch(concat(lifecycle(ORDER, new OrderStockReservedEvent(ORDER)), lifecycle(other)));

        handlers.prepareReset();
        Mockito.verify(generationsMock).beginRebuild(ProjectionProcessors.ORDER_SUMMARY);
        assertThat(generations.building).isEqualTo(1);
        // The replay, and a fact that happened meanwhile.
        batch(concat(lifecycle(ORDER, new OrderStockReservedEvent(ORDER), new OrderPaymentAuthorizedEvent(ORDER)),
                lifecycle(other)));

        assertThat(table.batchReads).last().extracting(WrittenOrderSummaries.BatchRead::generation).isEqualTo(1);
        assertThat(table.holds(1, ORDER.value())).isTrue();
        assertThat(read(ORDER).orElseThrow().status()).as("served while rebuilding").isEqualTo("STOCK_RESERVED");
        assertThat(customerOrders(0, 10).items()).extracting(OrderSummaryView::status)
                .containsExactlyInAnyOrder("STOCK_RESERVED", "ACCEPTED");

        generations.served = generations.building;

        assertThat(read(ORDER).orElseThrow().status()).isEqualTo("PAYMENT_AUTHORIZED");
        assertThat(customerOrders(0, 10).items()).extracting(OrderSummaryView::status)
                .containsExactlyInAnyOrder("PAYMENT_AUTHORIZED", "ACCEPTED");
    }

    @Test
    void givenNoSuchOrder_whenQueried_thenEmpty() {
        batch(lifecycle(ORDER));

        assertThat(read(order(0xB2))).isEmpty();
    }

    @Test
    void givenACustomersOrders_whenListed_thenNewestAcceptanceFirstTiesByOrderIdAndPagedWithTheTotal() {
        // Order ids with a zero first half, so that Java's and PostgreSQL's uuid ordering agree on the tie.
        OrderId o1 = order(1);
        OrderId o2 = order(2);
        OrderId o3 = order(3);
        OrderId o4 = order(4);
        OrderId o5 = order(5);
        OrderId bobs = order(6);
        Instant hour = ACCEPTED_AT;
        // Read in another order than accepted, and every message stamped later than its acceptance: the list
        // follows the acceptance time the event carries.
        Instant read = ACCEPTED_AT.plus(Duration.ofDays(1));
        batch(List.of(
                event(o4, 0, accepted(o4, ADA, hour.plusSeconds(3 * 3600), HOME, null), read),
                event(o1, 0, accepted(o1, ADA, hour.plusSeconds(3600), HOME, null), read.plusSeconds(1)),
                event(bobs, 0, accepted(bobs, BOB, hour.plusSeconds(5 * 3600), HOME, null), read.plusSeconds(2)),
                event(o5, 0, accepted(o5, ADA, hour.plusSeconds(4 * 3600), HOME, null), read.plusSeconds(3)),
                event(o3, 0, accepted(o3, ADA, hour.plusSeconds(3 * 3600), HOME, null), read.plusSeconds(4)),
                event(o2, 0, accepted(o2, ADA, hour.plusSeconds(2 * 3600), HOME, null), read.plusSeconds(5))));

        CustomerOrdersPage first = customerOrders(0, 2);
        assertThat(ids(first)).containsExactly(o5.value(), o3.value());
        assertThat(first.page()).isZero();
        assertThat(first.size()).isEqualTo(2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(ids(customerOrders(1, 2))).containsExactly(o4.value(), o2.value());
        CustomerOrdersPage last = customerOrders(2, 2);
        assertThat(ids(last)).containsExactly(o1.value());
        assertThat(last.total()).isEqualTo(5);
        CustomerOrdersPage beyond = customerOrders(3, 2);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(5);
        assertThat(ids(customerOrders(0, 100))).containsExactly(o5.value(), o3.value(), o4.value(), o2.value(),
                o1.value());
    }

    @Test
    void givenACustomerWithoutOrders_whenListed_thenAnEmptyPage() {
        batch(lifecycle(ORDER));

        CustomerOrdersPage page = projection.handle(new FindCustomerOrdersQuery(BOB, 0, 20));

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Hands the events to the projection as one batch of its processor: one unit of work, committed at the end. */
    private Timer latency(String step) {
        return meters.get("orderflow.order.latency").tag("step", step).timer();
    }

    private void batch(List<? extends EventMessage<?>> events) {
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(new ArrayList<>(events));
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> handlers.handle(unitOfWork.getMessage()),
                RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            if (result.exceptionResult() instanceof RuntimeException e) {
                throw e;
            }
            throw new AssertionError(result.exceptionResult());
        }
    }

    /** Ada's order accepted (sequence 0), then the given events of it, one a minute. */
    private static List<DomainEventMessage<?>> lifecycle(OrderId order, Object... later) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        events.add(event(order, 0, accepted(order, ADA, ACCEPTED_AT, HOME, null), ACCEPTED_AT));
        for (int i = 0; i < later.length; i++) {
            events.add(event(order, i + 1, later[i], ACCEPTED_AT.plusSeconds(60L * (i + 1))));
        }
        return events;
    }

    private static OrderAcceptedEvent accepted(OrderId order, CustomerId customer, Instant at, PostalAddress address,
                                               Long addressVersion) {
        return new OrderAcceptedEvent(order, customer, List.of(
                new OrderLine(new Sku("TEA-01"), "Green tea", 2, new BigDecimal("4.50"), new BigDecimal("9.00")),
                new OrderLine(new Sku("MUG-02"), "Mug", 1, new BigDecimal("12.00"), new BigDecimal("12.00"))),
                new BigDecimal("21.00"), "EUR", address, addressVersion, at, 2);
    }

    private static DomainEventMessage<?> event(OrderId order, long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>("Order", order.toString(), sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), at);
    }

    @SafeVarargs
    private static List<EventMessage<?>> concat(List<? extends EventMessage<?>>... lists) {
        List<EventMessage<?>> all = new ArrayList<>();
        for (List<? extends EventMessage<?>> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static OrderId order(int n) {
        return new OrderId(new UUID(0, n));
    }

    private Optional<OrderSummaryView> read(OrderId order) {
        return projection.handle(new FindOrderSummaryQuery(order));
    }

    private CustomerOrdersPage customerOrders(int page, int size) {
        return projection.handle(new FindCustomerOrdersQuery(ADA, page, size));
    }

    private static List<UUID> ids(CustomerOrdersPage page) {
        return page.items().stream().map(OrderSummaryView::orderId).toList();
    }
}
