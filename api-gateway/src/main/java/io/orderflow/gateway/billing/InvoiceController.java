package io.orderflow.gateway.billing;

import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.FindBillingDocumentQuery;
import io.orderflow.billing.api.BillingMessages.FindOrderBillingQuery;
import io.orderflow.billing.api.BillingMessages.OrderBilling;
import io.orderflow.billing.api.BillingMessages.PdfDocument;
import io.orderflow.billing.api.BillingMessages.RenderBillingDocumentQuery;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.gateway.web.Amounts;
import io.orderflow.gateway.web.Caller;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The billing context's documents (docs/billing.md): an order's invoice and credit note, one document by its
 * number, and the document as a PDF to open or file. A customer sees only their own orders' documents; another
 * customer's are answered as not found.
 */
@RestController
@RequestMapping("/api/invoices")
class InvoiceController {

    private final QueryGateway queryGateway;
    private final Caller callers;

    InvoiceController(QueryGateway queryGateway, Caller callers) {
        this.queryGateway = queryGateway;
        this.callers = callers;
    }

    @Operation(operationId = "getOrderInvoices", summary = "Read an order's billing: its state and documents",
            description = "An order is invoiced when its payment is authorized, addressed with the billing address "
                    + "of the order's profile version (waiting for it while it is on its way); an invoiced order "
                    + "that is then cancelled or fails gets a credit note.")
    @ApiResponse(responseCode = "200", description = "The order's billing")
    @ApiResponse(responseCode = "400", description = "orderId is missing or not a UUID")
    @ApiResponse(responseCode = "404", description = "Billing has not seen the order (yet), or it is another "
            + "customer's")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    OrderBillingBody ofOrder(@RequestParam UUID orderId) throws InterruptedException {
        Caller.Identity caller = callers.current();
        return this.<OrderBilling>ask(new FindOrderBillingQuery(new OrderId(orderId)), OrderBilling.class)
                .filter(billing -> caller.mayActFor(billing.customerId()))
                .map(OrderBillingBody::of)
                .orElseThrow(() -> new NotFoundException("billing knows no order " + orderId
                        + " (yet: it learns of an order from Kafka moments after it is accepted)"));
    }

    @Operation(operationId = "getInvoice", summary = "Read an invoice or credit note by its number")
    @ApiResponse(responseCode = "200", description = "The document, as it was issued")
    @ApiResponse(responseCode = "400", description = "Not a document number (INV-2026-000001, CRN-2026-000001)")
    @ApiResponse(responseCode = "404", description = "No such document, or another customer's")
    @GetMapping(path = "/{number}", produces = MediaType.APPLICATION_JSON_VALUE)
    DocumentBody get(@PathVariable String number) throws InterruptedException {
        Caller.Identity caller = callers.current();
        return this.<BillingDocument>ask(validQuery(number), BillingDocument.class)
                .filter(document -> caller.mayActFor(document.customerId()))
                .map(DocumentBody::of)
                .orElseThrow(() -> new NotFoundException("no document " + number));
    }

    @Operation(operationId = "getInvoicePdf", summary = "The invoice or credit note as a PDF document")
    @ApiResponse(responseCode = "200", description = "The PDF, shown in the browser (Content-Disposition inline)",
            content = @Content(mediaType = MediaType.APPLICATION_PDF_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "Not a document number")
    @ApiResponse(responseCode = "404", description = "No such document, or another customer's")
    @GetMapping(path = "/{number}.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    ResponseEntity<byte[]> pdf(@PathVariable String number) throws InterruptedException {
        Caller.Identity caller = callers.current();
        validQuery(number);
        PdfDocument pdf = this.<PdfDocument>ask(new RenderBillingDocumentQuery(number), PdfDocument.class)
                .filter(document -> caller.mayActFor(document.customerId()))
                .orElseThrow(() -> new NotFoundException("no document " + number));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(pdf.fileName())
                        .build().toString())
                .body(pdf.content());
    }

    private static FindBillingDocumentQuery validQuery(String number) {
        RequestFields fields = new RequestFields();
        FindBillingDocumentQuery query = fields.readValue("", () -> new FindBillingDocumentQuery(number));
        fields.throwIfInvalid();
        return query;
    }

    private <T> Optional<T> ask(Object query, Class<T> type) throws InterruptedException {
        try {
            return queryGateway.query(query, ResponseTypes.optionalInstanceOf(type)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading billing failed", e.getCause());
        }
    }

    /** An order's billing as the API shows it. */
    record OrderBillingBody(UUID orderId, UUID customerId, String state,
                            @Schema(nullable = true, description = "the profile version whose billing address the "
                                    + "invoice waits for, while it does") Long awaitedAddressVersion,
                            List<DocumentBody> documents) {

        static OrderBillingBody of(OrderBilling billing) {
            return new OrderBillingBody(billing.orderId().value(), billing.customerId().value(),
                    billing.state().name(), billing.awaitedAddressVersion(),
                    billing.documents().stream().map(DocumentBody::of).toList());
        }
    }

    /** One document as the API shows it; amounts are decimal strings, like every amount of the API. */
    record DocumentBody(String number, String kind, UUID orderId, UUID customerId, Instant issuedAt,
                        AddressBody billingAddress,
                        @Schema(nullable = true, description = "the customer-profile version of the billing address; "
                                + "null for the delivery address an order without a version carried")
                        Long addressVersion,
                        List<LineBody> lines, String total,
                        String currency,
                        @Schema(nullable = true, description = "the invoice a credit note reverses") String refersTo,
                        @Schema(nullable = true, description = "why a credit note was issued") String reason,
                        @Schema(description = "where the PDF document is") String pdf) {

        static DocumentBody of(BillingDocument document) {
            PostalAddress address = document.billingAddress();
            return new DocumentBody(document.number(), document.kind().name(), document.orderId().value(),
                    document.customerId().value(), document.issuedAt(),
                    new AddressBody(address.street(), address.city(), address.postalCode(), address.country()),
                    document.addressVersion(),
                    document.lines().stream().map(line -> LineBody.of(line, document.currency())).toList(),
                    Amounts.format(document.total(), document.currency()), document.currency(),
                    document.refersTo(), document.reason(), "/api/invoices/" + document.number() + ".pdf");
        }
    }

    /** The billing address a document is addressed to. */
    record AddressBody(String street, String city, String postalCode, String country) {
    }

    /** One line of a document. */
    record LineBody(String sku, String name, int quantity, String unitPrice, String lineTotal) {

        static LineBody of(OrderLine line, String currency) {
            return new LineBody(line.sku().value(), line.name(), line.quantity(),
                    Amounts.format(line.unitPrice(), currency), Amounts.format(line.lineTotal(), currency));
        }
    }
}
