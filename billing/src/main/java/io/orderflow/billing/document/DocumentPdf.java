package io.orderflow.billing.document;

import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.DocumentKind;
import io.orderflow.billing.settings.BillingProperties;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderLine;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;

/**
 * An issued document as a one-or-more-page A4 PDF a person can open, print or file: who issues it, the number and
 * date, the billing address, the order's lines and the total; a credit note also names the invoice it reverses and
 * why. Rendered from the stored document every time, so the PDF always says what was issued.
 */
@Component
public class DocumentPdf {

    private static final float MARGIN = 56;
    private static final float LINE = 15;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu");

    private final String issuer;
    private final ZoneId zone;

    @Autowired
    public DocumentPdf(BillingProperties settings) {
        this(settings.issuer(), settings.zone());
    }

    public DocumentPdf(String issuer, ZoneId zone) {
        this.issuer = issuer;
        this.zone = zone;
    }

    /** The file name a browser offers when saving it. */
    public static String fileName(BillingDocument document) {
        return document.number() + ".pdf";
    }

    /** The document as PDF bytes. */
    public byte[] render(BillingDocument document) {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            boolean credit = document.kind() == DocumentKind.CREDIT_NOTE;
            String title = (credit ? "Credit note " : "Invoice ") + document.number();
            describe(pdf, title, document);
            Writer writer = new Writer(pdf);
            writer.text(Fonts.BOLD, 18, title);
            writer.gap();
            writer.text(Fonts.REGULAR, 10, issuer);
            writer.text(Fonts.REGULAR, 10, "Date: " + DATE.format(document.issuedAt().atZone(zone)));
            writer.text(Fonts.REGULAR, 10, "Order: " + document.orderId());
            writer.text(Fonts.REGULAR, 10, "Customer: " + document.customerId());
            if (credit) {
                writer.text(Fonts.REGULAR, 10, "Reverses invoice " + document.refersTo() + " in full");
                writer.text(Fonts.REGULAR, 10, "Reason: " + document.reason());
            }
            writer.gap();
            writer.text(Fonts.BOLD, 10, "Billing address");
            PostalAddress address = document.billingAddress();
            writer.text(Fonts.REGULAR, 10, address.street());
            writer.text(Fonts.REGULAR, 10, address.postalCode() + " " + address.city());
            writer.text(Fonts.REGULAR, 10, address.country());
            writer.gap();
            writer.row(Fonts.BOLD, "SKU", "Item", "Qty", "Unit price", "Amount");
            String sign = credit ? "-" : "";
            for (OrderLine line : document.lines()) {
                writer.row(Fonts.REGULAR, line.sku().value(), line.name(), Integer.toString(line.quantity()),
                        line.unitPrice().toPlainString(), sign + line.lineTotal().toPlainString());
            }
            writer.gap();
            writer.row(Fonts.BOLD, "", credit ? "Total credited" : "Total", "", document.currency(),
                    sign + document.total().toPlainString());
            writer.close();
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering " + document.number() + " as PDF failed", e);
        }
    }

    private void describe(PDDocument pdf, String title, BillingDocument document) {
        PDDocumentInformation info = pdf.getDocumentInformation();
        info.setTitle(title);
        info.setAuthor(issuer);
        info.setSubject("Order " + document.orderId());
        Calendar created = new GregorianCalendar(TimeZone.getTimeZone(zone));
        created.setTimeInMillis(document.issuedAt().toEpochMilli());
        info.setCreationDate(created);
    }

    /** The standard fonts every PDF reader has, so nothing is embedded. */
    private enum Fonts {
        REGULAR(Standard14Fonts.FontName.HELVETICA), BOLD(Standard14Fonts.FontName.HELVETICA_BOLD);

        private final PDType1Font font;

        Fonts(Standard14Fonts.FontName name) {
            this.font = new PDType1Font(name);
        }

        /** The text with every character the font cannot show replaced by '?'. */
        String printable(String text) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(codePoint -> {
                String character = new String(Character.toChars(codePoint));
                try {
                    font.encode(character);
                    out.append(character);
                } catch (IOException | IllegalArgumentException notInTheFont) {
                    out.append('?');
                }
            });
            return out.toString();
        }
    }

    /** Writes lines top-down, starting a new page when one is full. */
    private static final class Writer {

        private static final float[] COLUMNS = {0, 90, 330, 370, 440};

        private final PDDocument pdf;
        private PDPageContentStream content;
        private float y;

        Writer(PDDocument pdf) throws IOException {
            this.pdf = pdf;
            newPage();
        }

        void text(Fonts font, float size, String text) throws IOException {
            at(font, size, MARGIN, text);
            y -= size + 5;
        }

        void row(Fonts font, String... cells) throws IOException {
            for (int i = 0; i < cells.length; i++) {
                String cell = cells[i];
                if (i == 1 && cell.length() > 40) {
                    cell = cell.substring(0, 39) + "...";
                }
                at(font, 10, MARGIN + COLUMNS[i], cell);
            }
            y -= LINE;
        }

        void gap() {
            y -= LINE / 2;
        }

        private void at(Fonts font, float size, float x, String text) throws IOException {
            if (y < MARGIN + LINE) {
                newPage();
            }
            content.beginText();
            content.setFont(font.font, size);
            content.newLineAtOffset(x, y);
            content.showText(font.printable(text));
            content.endText();
        }

        private void newPage() throws IOException {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            pdf.addPage(page);
            content = new PDPageContentStream(pdf, page);
            y = page.getMediaBox().getHeight() - MARGIN;
        }

        void close() throws IOException {
            content.close();
        }
    }
}
