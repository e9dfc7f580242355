package io.orderflow.billing.invoice;

import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.FindBillingDocumentQuery;
import io.orderflow.billing.api.BillingMessages.FindOrderBillingQuery;
import io.orderflow.billing.api.BillingMessages.OrderBilling;
import io.orderflow.billing.api.BillingMessages.PdfDocument;
import io.orderflow.billing.api.BillingMessages.RenderBillingDocumentQuery;
import io.orderflow.billing.document.DocumentPdf;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** The billing context's answers to the gateway: an order's billing, one document by its number. */
@Component
class BillingQueries {

    private final BillingDocuments documents;
    private final DocumentPdf pdf;

    BillingQueries(BillingDocuments documents, DocumentPdf pdf) {
        this.documents = documents;
        this.pdf = pdf;
    }

    @QueryHandler
    Optional<OrderBilling> handle(FindOrderBillingQuery query) {
        return documents.billingOf(query.orderId());
    }

    @QueryHandler
    Optional<BillingDocument> handle(FindBillingDocumentQuery query) {
        return documents.document(query.number());
    }

    @QueryHandler
    Optional<PdfDocument> handle(RenderBillingDocumentQuery query) {
        return documents.document(query.number()).map(document ->
                new PdfDocument(DocumentPdf.fileName(document), document.customerId(), pdf.render(document)));
    }
}
