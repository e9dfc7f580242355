package io.orderflow.billing.document;

import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.DocumentKind;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.Sku;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The PDF says what was issued, in text a reader can extract, whatever characters the order's names hold. */
class DocumentPdfTest {

    private final DocumentPdf pdf = new DocumentPdf("Example Shop GmbH", ZoneId.of("Europe/Berlin"));

    @Test
    void anInvoiceShowsItsNumberDateAddressLinesAndTotal() throws IOException {
        String text = text(pdf.render(document(DocumentKind.INVOICE, List.of(
                line("BEANS-1", "Coffee beans", 2, "9.00"), line("MUG-1", "Mug", 1, "5.00")))));

        assertThat(text).contains("Invoice INV-2026-000042", "Example Shop GmbH", "Date: 1 December 2026",
                "Hauptstrasse 1", "10115 Berlin", "Coffee beans", "18.00", "Total", "23.00");
    }

    @Test
    void aCreditNoteNamesTheInvoiceItReversesAndWhy_withNegativeAmounts() throws IOException {
        String text = text(pdf.render(document(DocumentKind.CREDIT_NOTE, List.of(line("MUG-1", "Mug", 1, "5.00")))));

        assertThat(text).contains("Credit note CRN-2026-000007", "Reverses invoice INV-2026-000042",
                "Reason: order cancelled", "-5.00", "Total credited");
    }

    @Test
    void charactersTheStandardFontCannotShowBecomeQuestionMarks_andManyLinesFlowOntoMorePages() throws IOException {
        List<OrderLine> lines = Collections.nCopies(80, line("TEA-1", "Grüner Tee 绿茶", 1, "1.00"));

        byte[] bytes = pdf.render(document(DocumentKind.INVOICE, lines));

        try (PDDocument parsed = Loader.loadPDF(bytes)) {
            assertThat(parsed.getNumberOfPages()).isGreaterThan(1);
            assertThat(new PDFTextStripper().getText(parsed)).contains("Grüner Tee ??");
        }
    }

    private static String text(byte[] bytes) throws IOException {
        assertThat(new String(bytes, 0, 5)).isEqualTo("%PDF-");
        try (PDDocument parsed = Loader.loadPDF(bytes)) {
            return new PDFTextStripper().getText(parsed);
        }
    }

    private static OrderLine line(String sku, String name, int quantity, String price) {
        BigDecimal unit = new BigDecimal(price);
        return new OrderLine(new Sku(sku), name, quantity, unit, unit.multiply(BigDecimal.valueOf(quantity)));
    }

    private static BillingDocument document(DocumentKind kind, List<OrderLine> lines) {
        boolean credit = kind == DocumentKind.CREDIT_NOTE;
        BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new BillingDocument(credit ? "CRN-2026-000007" : "INV-2026-000042", kind,
                new OrderId(UUID.randomUUID()), new CustomerId(UUID.randomUUID()),
                Instant.parse("2026-12-01T10:00:00Z"), new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE"),
                0L, lines, total, "EUR", credit ? "INV-2026-000042" : null, credit ? "order cancelled: changed" : null);
    }
}
