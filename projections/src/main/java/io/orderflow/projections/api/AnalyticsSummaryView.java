package io.orderflow.projections.api;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Order analytics, built from the order and fulfillment topics on Kafka.
 *
 * @param ordersAccepted    orders accepted
 * @param ordersShipped     orders whose stock left the warehouse
 * @param ordersCompleted   orders completed
 * @param ordersFailed      orders that failed, whatever the reason
 * @param ordersCancelled   orders the customer cancelled
 * @param revenueByCurrency the totals of the completed orders, per currency
 * @param leadTime          how long completed orders took from acceptance to completion
 */
public record AnalyticsSummaryView(long ordersAccepted, long ordersShipped, long ordersCompleted, long ordersFailed,
                                   long ordersCancelled, Map<String, BigDecimal> revenueByCurrency,
                                   LeadTime leadTime) {

    public AnalyticsSummaryView {
        revenueByCurrency = Map.copyOf(revenueByCurrency);
    }

    /** Order-to-completion lead time over the completed orders, in milliseconds (0 when there are none). */
    public record LeadTime(long completedOrders, long p50Millis, long p95Millis, long maxMillis) {
    }
}
