package io.orderflow.billing.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.order.api.OrderId;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A credit note reversed an order's invoice in full: the order was cancelled or failed after it was invoiced, and
 * its payment was voided. The invoice keeps its number; the credit note has its own.
 *
 * @param number        {@code CRN-<year>-<six digits>}, gapless per year
 * @param invoiceNumber the invoice it reverses
 * @param reason        why: the order's cancellation reason or failure reason
 */
@Revision("1")
public record CreditNoteIssuedEvent(OrderId orderId,
                                    CustomerId customerId,
                                    String number,
                                    String invoiceNumber,
                                    Instant issuedAt,
                                    BigDecimal total,
                                    String currency,
                                    String reason) implements BillingEvent {
}
