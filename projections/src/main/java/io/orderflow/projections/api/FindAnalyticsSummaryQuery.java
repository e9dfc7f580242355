package io.orderflow.projections.api;

/**
 * Asks for the order analytics; answered with an {@link AnalyticsSummaryView}.
 */
public record FindAnalyticsSummaryQuery() {
}
