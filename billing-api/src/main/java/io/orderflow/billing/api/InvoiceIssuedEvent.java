package io.orderflow.billing.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An invoice was issued for an order whose payment was authorized: the order's lines and total, addressed to the
 * customer's billing address valid for the order.
 *
 * @param number         {@code INV-<year>-<six digits>}, gapless per year
 * @param addressVersion the customer-profile version the billing address is from (the order's, or the earliest
 *                       later one billing has); null when an order that named no version was billed to the
 *                       delivery address it carried, billing knowing no billing address of the customer
 */
@Revision("1")
public record InvoiceIssuedEvent(OrderId orderId,
                                 CustomerId customerId,
                                 String number,
                                 Instant issuedAt,
                                 PostalAddress billingAddress,
                                 @Nullable Long addressVersion,
                                 List<OrderLine> lines,
                                 BigDecimal total,
                                 String currency) implements BillingEvent {

    public InvoiceIssuedEvent {
        lines = List.copyOf(lines);
    }
}
