package io.orderflow.projections.api;

import io.orderflow.customer.api.PostalAddress;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as the read side knows it, with every event applied to it.
 *
 * @param version the sequence number of the last order event this view has applied
 */
public record OrderSummaryView(
        UUID orderId,
        UUID customerId,
        String status,
        String failureReason,
        List<Line> lines,
        BigDecimal totalAmount,
        String currency,
        PostalAddress deliveryAddress,
        Long addressVersion,
        List<HistoryEntry> history,
        long version) {

    /** One priced line of the order. */
    public record Line(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    /** One event applied to the order: its type and when it happened. */
    public record HistoryEntry(String type, Instant at) {
    }
}
