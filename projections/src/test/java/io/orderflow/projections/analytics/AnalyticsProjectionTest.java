package io.orderflow.projections.analytics;

import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.api.StockShippedEvent;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.Sku;
import io.orderflow.projections.api.AnalyticsSummaryView;
import io.orderflow.projections.api.FindAnalyticsSummaryQuery;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.generation.ProjectionGenerations;
import io.orderflow.projections.testing.CannedRows;
import io.orderflow.projections.testing.Generations;
import io.orderflow.projections.testing.Statements;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.Mockito;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics projection keeps one row per order and generation, and each fact of the order (accepted, shipped,
 * completed, failed, cancelled) sets only its own columns, to values the fact itself carries. These tests feed the
 * real events and check which row and columns each one writes, that a redelivered record writes exactly the same
 * values, and that a rebuild writes the new generation while the summary reads the served one; and they check how
 * the summary turns result rows into the view.
 *
 * <p>Everything else is SQL and needs PostgreSQL: the upsert that makes a redelivery change nothing and lets the
 * facts of one order arrive in any order across the two topics, the coalesce that keeps a failure reason, and the
 * counts, revenue sums and lead-time percentiles of the summary. Those are left to the integration tests; no fake
 * here pretends to answer them.
 */
class AnalyticsProjectionTest {

    private static final OrderId ORDER = new OrderId(UUID.fromString("5f0c2a9e-1b3d-4c5e-8f70-9a1b2c3d4e5f"));
    private static final CustomerId ADA = new CustomerId(UUID.fromString("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b"));
    private static final Instant ACCEPTED_AT = Instant.parse("2025-03-01T09:00:00Z");
    /** When the fact was recorded (the message's timestamp), some time after acceptance. */
    private static final Instant HAPPENED_AT = Instant.parse("2025-03-01T09:04:30Z");

    /** Each write, by table column, in the order the projection made them. */
    private final List<Map<String, Object>> writes = new ArrayList<>();
    /** The generation each read of the summary asked for. */
    private final List<Object> summaryReads = new ArrayList<>();
    private List<ResultSet> revenueRows = List.of();
    private ResultSet countsRow = CannedRows.row(0L, 0L, 0L, 0L, 0L, 0L, 0.0, 0.0, 0.0);

    private final Generations generations = new Generations();
    private ProjectionGenerations generationsMock;
    private AnalyticsProjection projection;
    private AnnotationEventHandlerAdapter handlers;

    @BeforeEach
    void setUp() {
        generationsMock = generations.mock();
        projection = new AnalyticsProjection(jdbc(), generationsMock);
        handlers = new AnnotationEventHandlerAdapter(projection);
    }

    /** Takes the projection's writes and answers the summary's two reads with the canned rows; nothing else. */
    private JdbcTemplate jdbc() {
        return Mockito.mock(JdbcTemplate.class, invocation -> {
            Object[] args = invocation.getRawArguments();
            switch (invocation.getMethod().getName()) {
                case "update" -> {
                    writes.add(Statements.row((String) args[0], (Object[]) args[1]));
                    return 1;
                }
                case "query" -> {
                    summaryReads.add(((Object[]) args[2])[0]);
                    for (ResultSet row : revenueRows) {
                        ((RowCallbackHandler) args[1]).processRow(row);
                    }
                    return null;
                }
                case "queryForObject" -> {
                    summaryReads.add(((Object[]) args[2])[0]);
                    return ((RowMapper<?>) args[1]).mapRow(countsRow, 0);
                }
                case "toString" -> {
                    return "analytics JDBC";
                }
                default -> throw new UnsupportedOperationException("unexpected JDBC call " + invocation);
            }
        });
    }

    @Test
    void givenAnAcceptedOrder_whenHandled_thenItsRowGetsCurrencyTotalAndTheAcceptanceTimeTheEventCarries() {
        handle(accepted(), HAPPENED_AT);

        assertThat(writes).containsExactly(row("generation", 0, "order_id", ORDER.value(), "currency", "EUR",
                "total_amount", new BigDecimal("21.00"), "accepted_at", Timestamp.from(ACCEPTED_AT)));
    }

    static Stream<Arguments> facts() {
        return Stream.of(
                Arguments.of(new StockShippedEvent(ORDER, List.of(new StockLine(new Sku("TEA-01"), 2))),
                        "shipped_at", null),
                Arguments.of(new OrderCompletedEvent(ORDER), "completed_at", null),
                Arguments.of(new OrderFailedEvent(ORDER, FailureReason.PAYMENT_DECLINED), "failed_at",
                        "PAYMENT_DECLINED"),
                Arguments.of(new OrderCancelledEvent(ORDER, "changed my mind"), "cancelled_at", null));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("facts")
    void givenAFactOfAnOrder_whenHandled_thenItSetsOnlyItsOwnTimeColumnToWhenTheFactHappened(
            Object fact, String column, String failureReason) {
        handle(fact, HAPPENED_AT);

        // A fact that is not a failure passes no reason, so that a reason already recorded is kept.
        assertThat(writes).containsExactly(row("generation", 0, "order_id", ORDER.value(),
                column, Timestamp.from(HAPPENED_AT), "failure_reason", failureReason));
    }

    @Test
    void givenRecordsOfAnOrder_whenEachIsDeliveredAgain_thenTheRedeliveryWritesExactlyTheSameValues() {
        List<EventMessage<?>> records = List.of(message(accepted(), HAPPENED_AT),
                message(new StockShippedEvent(ORDER, List.of(new StockLine(new Sku("TEA-01"), 2))), HAPPENED_AT),
                message(new OrderCompletedEvent(ORDER), HAPPENED_AT.plusSeconds(5)),
                message(new OrderFailedEvent(ORDER, FailureReason.SHIPMENT_FAILED), HAPPENED_AT.plusSeconds(9)));
        for (EventMessage<?> record : records) {
            handle(record);
        }
        List<Map<String, Object>> first = List.copyOf(writes);
        writes.clear();

        for (EventMessage<?> record : records) {
            handle(record);
        }

        assertThat(writes).isEqualTo(first);
    }

    @Test
    void givenARebuild_whenFactsArrive_thenTheyGoToTheNewGenerationWhileTheSummaryReadsTheServedOne() {
        handlers.prepareReset();
        Mockito.verify(generationsMock).beginRebuild(ProjectionProcessors.ANALYTICS);

        handle(accepted(), HAPPENED_AT);
        handle(new OrderCompletedEvent(ORDER), HAPPENED_AT);
        projection.handle(new FindAnalyticsSummaryQuery());

        assertThat(writes).extracting(write -> write.get("generation")).containsExactly(1, 1);
        assertThat(summaryReads).containsExactly(0, 0);

        generations.served = 1;
        summaryReads.clear();
        projection.handle(new FindAnalyticsSummaryQuery());

        assertThat(summaryReads).containsExactly(1, 1);
    }

    @Test
    void givenSummaryRows_whenAsked_thenRevenueHasEachCurrencysMinorDigitsAndLeadTimesAreWholeMilliseconds() {
        // The sums as the NUMERIC(19, 4) column gives them back.
        revenueRows = List.of(CannedRows.row("EUR", new BigDecimal("59.8000")),
                CannedRows.row("JPY", new BigDecimal("1500.0000")));
        countsRow = CannedRows.row(7L, 4L, 3L, 2L, 1L, 3L, 1500.4, 2999.6, 3000.0);

        AnalyticsSummaryView view = projection.handle(new FindAnalyticsSummaryQuery());

        assertThat(view).isEqualTo(new AnalyticsSummaryView(7, 4, 3, 2, 1,
                Map.of("EUR", new BigDecimal("59.80"), "JPY", new BigDecimal("1500")),
                new AnalyticsSummaryView.LeadTime(3, 1500, 3000, 3000)));
        assertThat(view.revenueByCurrency().get("EUR").scale()).isEqualTo(2);
        assertThat(view.revenueByCurrency().get("JPY").scale()).isZero();
    }

    @Test
    void givenRevenueInACurrencyWithoutMinorUnits_whenAsked_thenTheSumKeepsItsOwnDigits() {
        // XAU (gold) has no defined minor digits (-1): rounding to them used to fail the whole summary.
        revenueRows = List.of(CannedRows.row("XAU", new BigDecimal("1.5000")),
                CannedRows.row("XXX", new BigDecimal("20.0000")));
        countsRow = CannedRows.row(2L, 2L, 2L, 0L, 0L, 2L, 10.0, 10.0, 10.0);

        AnalyticsSummaryView view = projection.handle(new FindAnalyticsSummaryQuery());

        assertThat(view.revenueByCurrency()).containsExactlyInAnyOrderEntriesOf(
                Map.of("XAU", new BigDecimal("1.5"), "XXX", new BigDecimal("20")));
    }

    @Test
    void givenNoCompletedOrders_whenAsked_thenTheRevenueIsEmptyAndLeadTimesAreZero() {
        countsRow = CannedRows.row(2L, 0L, 0L, 0L, 0L, 0L, 0.0, 0.0, 0.0);

        AnalyticsSummaryView view = projection.handle(new FindAnalyticsSummaryQuery());

        assertThat(view.ordersAccepted()).isEqualTo(2);
        assertThat(view.revenueByCurrency()).isEmpty();
        assertThat(view.leadTime()).isEqualTo(new AnalyticsSummaryView.LeadTime(0, 0, 0, 0));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static OrderAcceptedEvent accepted() {
        return new OrderAcceptedEvent(ORDER, ADA, List.of(new OrderLine(new Sku("TEA-01"), "Green tea", 2,
                new BigDecimal("10.50"), new BigDecimal("21.00"))), new BigDecimal("21.00"), "EUR", null, 1L,
                ACCEPTED_AT, 2);
    }

    private void handle(Object payload, Instant at) {
        handle(message(payload, at));
    }

    private void handle(EventMessage<?> message) {
        try {
            handlers.handle(message);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A record as read from Kafka: its event's id and timestamp. */
    private static EventMessage<?> message(Object payload, Instant at) {
        return new GenericEventMessage<>(UUID.randomUUID().toString(), payload, MetaData.emptyInstance(), at);
    }

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }
}
