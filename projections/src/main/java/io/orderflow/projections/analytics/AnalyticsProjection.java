package io.orderflow.projections.analytics;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.fulfillment.api.StockShippedEvent;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.AnalyticsSummaryView;
import io.orderflow.projections.api.FindAnalyticsSummaryQuery;
import io.orderflow.projections.generation.ProjectionGenerations;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;

/**
 * Order analytics from the order and fulfillment topics on Kafka; its tokens are Kafka offsets, and a replay reads
 * the topics again from the beginning into a new generation (ADR 0010).
 *
 * <p>Idempotent by construction: each order has one row, and each handler sets only the columns of its own fact to
 * the values that fact carries, so a redelivered record writes the same values again. The facts of one order come
 * from two topics and may arrive in any order; the row is created by whichever comes first.
 */
@Component
@ProcessingGroup(AnalyticsProjection.PROCESSING_GROUP)
class AnalyticsProjection {

    static final String PROCESSING_GROUP = ProjectionProcessors.ANALYTICS;

    private final JdbcTemplate jdbc;
    private final ProjectionGenerations generations;

    AnalyticsProjection(JdbcTemplate jdbc, ProjectionGenerations generations) {
        this.jdbc = jdbc;
        this.generations = generations;
    }

    @EventHandler
    void on(OrderAcceptedEvent event) {
        jdbc.update("INSERT INTO analytics_order (generation, order_id, currency, total_amount, accepted_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (generation, order_id) DO UPDATE SET "
                        + "currency = EXCLUDED.currency, total_amount = EXCLUDED.total_amount, "
                        + "accepted_at = EXCLUDED.accepted_at",
                generation(), event.orderId().value(), event.currency(), event.totalAmount(),
                java.sql.Timestamp.from(event.acceptedAt()));
    }

    @EventHandler
    void on(StockShippedEvent event, @Timestamp Instant at) {
        mark(event.orderId(), "shipped_at", at, null);
    }

    @EventHandler
    void on(OrderCompletedEvent event, @Timestamp Instant at) {
        mark(event.orderId(), "completed_at", at, null);
    }

    @EventHandler
    void on(OrderFailedEvent event, @Timestamp Instant at) {
        mark(event.orderId(), "failed_at", at, event.reason().name());
    }

    @EventHandler
    void on(OrderCancelledEvent event, @Timestamp Instant at) {
        mark(event.orderId(), "cancelled_at", at, null);
    }

    /** Sets one fact's time (and, for a failure, its reason); the column is one of the fixed names above. */
    private void mark(OrderId orderId, String column, Instant at, String failureReason) {
        jdbc.update("INSERT INTO analytics_order (generation, order_id, " + column + ", failure_reason) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT (generation, order_id) DO UPDATE SET "
                        + column + " = EXCLUDED." + column + ", "
                        + "failure_reason = coalesce(EXCLUDED.failure_reason, analytics_order.failure_reason)",
                generation(), orderId.value(), java.sql.Timestamp.from(at), failureReason);
    }

    private int generation() {
        return generations.writing(PROCESSING_GROUP);
    }

    /** A replay builds a new generation beside the served one, which reads keep seeing until it is done. */
    @ResetHandler
    void onReset() {
        generations.beginRebuild(PROCESSING_GROUP);
    }

    /**
     * The sum with its currency's minor digits (the column keeps four). Currencies without minor units defined
     * (gold {@code XAU}, {@code XXX}: -1 digits) keep the digits the sum has, trailing zeros dropped.
     */
    static BigDecimal inMinorUnits(BigDecimal sum, String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        if (digits >= 0) {
            return sum.setScale(digits, RoundingMode.UNNECESSARY);
        }
        BigDecimal stripped = sum.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    @QueryHandler
    AnalyticsSummaryView handle(FindAnalyticsSummaryQuery query) {
        int generation = generations.serving(PROCESSING_GROUP);
        Map<String, BigDecimal> revenue = new TreeMap<>();
        jdbc.query("SELECT currency, sum(total_amount) FROM analytics_order WHERE generation = ? "
                        + "AND completed_at IS NOT NULL AND currency IS NOT NULL GROUP BY currency",
                row -> {
                    String currency = row.getString(1);
                    revenue.put(currency, inMinorUnits(row.getBigDecimal(2), currency));
                }, generation);
        return jdbc.queryForObject("""
                        SELECT count(accepted_at), count(shipped_at), count(completed_at), count(failed_at),
                               count(cancelled_at),
                               count(lead),
                               coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY lead), 0),
                               coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY lead), 0),
                               coalesce(max(lead), 0)
                        FROM (SELECT accepted_at, shipped_at, completed_at, failed_at, cancelled_at,
                                     extract(epoch FROM completed_at - accepted_at) * 1000 AS lead
                              FROM analytics_order WHERE generation = ?) orders
                        """,
                (row, i) -> new AnalyticsSummaryView(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
                        row.getLong(5), revenue, new AnalyticsSummaryView.LeadTime(row.getLong(6),
                        Math.round(row.getDouble(7)), Math.round(row.getDouble(8)), Math.round(row.getDouble(9)))),
                generation);
    }
}
