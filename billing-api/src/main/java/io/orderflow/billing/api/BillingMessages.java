package io.orderflow.billing.api;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;
import jakarta.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** What the billing context answers: an order's billing state and documents, and one document by its number. */
public final class BillingMessages {

    /** {@code INV-2026-000001} or {@code CRN-2026-000001}: series, year, number within the year. */
    public static final Pattern DOCUMENT_NUMBER = Pattern.compile("(INV|CRN)-\\d{4}-\\d{6,9}");

    private BillingMessages() {
    }

    /** Answers the {@link OrderBilling} of an order, or nothing if billing has never heard of it. */
    public record FindOrderBillingQuery(OrderId orderId) {
        public FindOrderBillingQuery {
            Required.nonNull("orderId", orderId);
        }
    }

    /** Answers the {@link BillingDocument} with that number, or nothing if there is none. */
    public record FindBillingDocumentQuery(String number) {
        public FindBillingDocumentQuery {
            Required.nonNull("number", number);
            if (!DOCUMENT_NUMBER.matcher(number).matches()) {
                throw new ValueViolation("number", "must look like INV-2026-000001 or CRN-2026-000001");
            }
        }
    }

    /** Answers the {@link PdfDocument} of the document with that number, or nothing if there is none. */
    public record RenderBillingDocumentQuery(String number) {
        public RenderBillingDocumentQuery {
            new FindBillingDocumentQuery(number);
        }
    }

    /** A document as a PDF file: its bytes, the name to save it under and who may see it. */
    public record PdfDocument(String fileName, CustomerId customerId, byte[] content) {
    }

    /** Where an order stands with billing. */
    public enum BillingState {
        /** Accepted, not paid yet: nothing to invoice (yet). */
        NOT_DUE,
        /** Paid, but the billing address of the order's profile version has not reached billing yet. */
        AWAITING_BILLING_ADDRESS,
        /** Invoiced. */
        INVOICED,
        /** Invoiced, then reversed by a credit note. */
        CREDITED,
        /** Ended (cancelled or failed) before it was invoiced: nothing to invoice. */
        NOT_INVOICED
    }

    /**
     * An order's billing.
     *
     * @param awaitedAddressVersion the profile version whose billing address the invoice waits for, while it does
     * @param documents             the invoice, then the credit note if any
     */
    public record OrderBilling(OrderId orderId, CustomerId customerId, BillingState state,
                               @Nullable Long awaitedAddressVersion, List<BillingDocument> documents) {
        public OrderBilling {
            documents = List.copyOf(documents);
        }
    }

    /** Whether a document charges (an invoice) or reverses a charge (a credit note). */
    public enum DocumentKind {
        INVOICE, CREDIT_NOTE
    }

    /**
     * One issued document, as it was issued: documents never change after they are issued.
     *
     * @param addressVersion the profile version of the billing address; null if it is the delivery address the
     *                       order carried (see {@link InvoiceIssuedEvent#addressVersion()})
     * @param refersTo the invoice a credit note reverses; null for an invoice
     * @param reason   why a credit note was issued; null for an invoice
     */
    public record BillingDocument(String number, DocumentKind kind, OrderId orderId, CustomerId customerId,
                                  Instant issuedAt, PostalAddress billingAddress, @Nullable Long addressVersion,
                                  List<OrderLine> lines, BigDecimal total, String currency,
                                  @Nullable String refersTo, @Nullable String reason) {
        public BillingDocument {
            lines = List.copyOf(lines);
        }
    }
}
