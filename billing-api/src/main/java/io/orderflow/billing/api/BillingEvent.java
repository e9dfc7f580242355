package io.orderflow.billing.api;

import io.orderflow.order.api.OrderId;

/**
 * A document the billing context issued for one order. Kafka keys these by the order id, so an order's invoice and
 * its credit note stay in order on one partition.
 */
public sealed interface BillingEvent permits InvoiceIssuedEvent, CreditNoteIssuedEvent {

    /** The order the document is about. */
    OrderId orderId();

    /** The document's number, unique and gapless within its series and year ({@code INV-2026-000001}). */
    String number();
}
