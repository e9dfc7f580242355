package io.orderflow.projections.ordersummary;

import io.orderflow.projections.api.OrderSummaryView;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule a batch applies to a summary it read from the table: an event at or below the row's version is a
 * redelivery or a late event and leaves the row as it was, not marked for writing; a newer one moves the row on and
 * marks it. This is what makes a redelivery in a later batch harmless; reading the stored row into that batch is
 * SQL and is covered against PostgreSQL by the integration tests.
 */
class OrderSummaryWritesTest {

    private static final Instant ACCEPTED_AT = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant RESERVED_AT = ACCEPTED_AT.plusSeconds(60);
    private static final Instant LATER = ACCEPTED_AT.plusSeconds(3600);

    @Test
    void givenAStoredSummaryAtVersionOne_whenAnEventAtOrBelowItArrives_thenTheRowIsLeftAsItWasAndNotWritten() {
        OrderSummaryWrites.Row row = storedAtVersionOne();

        assertThat(row.apply(1, "OrderStockReserved", LATER, "STOCK_RESERVED", null)).isFalse();
        assertThat(row.apply(0, "OrderAccepted", LATER, "ACCEPTED", null)).isFalse();
        assertThat(row.apply(1, "OrderFailed", LATER, "FAILED", "OUT_OF_STOCK")).isFalse();

        assertThat(row.status).isEqualTo("STOCK_RESERVED");
        assertThat(row.failureReason).isNull();
        assertThat(row.version).isEqualTo(1);
        assertThat(row.updatedAt).isEqualTo(RESERVED_AT);
        assertThat(row.history).hasSize(2);
        assertThat(row.changed).as("marked for writing at commit").isFalse();
    }

    @Test
    void givenAStoredSummary_whenANewerEventArrives_thenItMovesTheRowOnAndMarksItForWriting() {
        OrderSummaryWrites.Row row = storedAtVersionOne();

        assertThat(row.apply(2, "OrderFailed", LATER, "FAILED", "PAYMENT_DECLINED")).isTrue();

        assertThat(row.status).isEqualTo("FAILED");
        assertThat(row.failureReason).isEqualTo("PAYMENT_DECLINED");
        assertThat(row.version).isEqualTo(2);
        assertThat(row.updatedAt).isEqualTo(LATER);
        assertThat(row.history).last().isEqualTo(new OrderSummaryView.HistoryEntry("OrderFailed", LATER));
        assertThat(row.changed).isTrue();
    }

    @Test
    void givenAStoredSummaryWithAGapBehindIt_whenTheMissingEventArrivesLate_thenItIsNotAppliedOverTheNewerState() {
        OrderSummaryWrites.Row row = storedAtVersionOne();
        row.apply(3, "OrderShipmentArranged", LATER, "SHIPMENT_ARRANGED", null);

        assertThat(row.apply(2, "OrderPaymentAuthorized", LATER.plusSeconds(1), "PAYMENT_AUTHORIZED", null))
                .isFalse();

        assertThat(row.status).isEqualTo("SHIPMENT_ARRANGED");
        assertThat(row.version).isEqualTo(3);
    }

    private static OrderSummaryWrites.Row storedAtVersionOne() {
        return new OrderSummaryWrites.Row(UUID.randomUUID(), UUID.randomUUID(), "STOCK_RESERVED", null,
                List.of(new OrderSummaryView.Line("TEA-01", "Green tea", 1, new BigDecimal("4.50"),
                        new BigDecimal("4.50"))), new BigDecimal("4.50"), "EUR", null, 2L,
                List.of(new OrderSummaryView.HistoryEntry("OrderAccepted", ACCEPTED_AT),
                        new OrderSummaryView.HistoryEntry("OrderStockReserved", RESERVED_AT)),
                1, ACCEPTED_AT, RESERVED_AT, true);
    }
}
