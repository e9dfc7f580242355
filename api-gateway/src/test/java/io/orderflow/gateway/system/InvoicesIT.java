package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.billing.api.InvoiceIssuedEvent;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The billing context end to end: a customer's new shipping and billing addresses go through the address router, the
 * order ships to the new shipping address and is invoiced to the new billing address; an order that fails after its
 * payment gets a credit note; the documents are readable as JSON and as PDF, only by their customer, and bad numbers
 * and ids are answered with 400.
 */
class InvoicesIT extends EmbeddedSystemTest {

    private static final String LONDON = """
            {"street": "1 Baker Street", "city": "London", "postalCode": "NW1 6XE", "country": "GB"}""";
    private static final String VIENNA = """
            {"street": "Ringstrasse 4", "city": "Wien", "postalCode": "1010", "country": "AT"}""";


    @Test
    void givenNewShippingAndBillingAddresses_thenTheOrderShipsToTheOneAndIsInvoicedToTheOther_asJsonAndPdf() {
        Fulfillment fulfillment = new Fulfillment(http);
        fulfillment.stockNewSku("BILL-1", "12.50", 10);
        UUID customer = UUID.fromString(http.postJson("/api/customers", CustomerApiIT.ADA).json()
                .get("customerId").asText());
        assertThat(http.put("/api/customers/" + customer + "/shipping-address", LONDON).status()).isEqualTo(200);
        assertThat(http.put("/api/customers/" + customer + "/billing-address", VIENNA).status()).isEqualTo(200);

        UUID orderId = fulfillment.place(Fulfillment.orderForVersion(customer, "BILL-1", 2, 2));
        assertThat(fulfillment.awaitEnd(orderId).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("select city from shipment where order_id = ?", String.class, orderId))
                .isEqualTo("London");

        JsonNode billing = awaitBilling(http, orderId, "INVOICED");
        assertThat(billing.get("customerId").asText()).isEqualTo(customer.toString());
        assertThat(billing.get("documents")).hasSize(1);
        JsonNode invoice = billing.get("documents").get(0);
        String number = invoice.get("number").asText();
        assertThat(number).matches("INV-\\d{4}-\\d{6}");
        assertThat(invoice.get("kind").asText()).isEqualTo("INVOICE");
        assertThat(invoice.get("billingAddress").get("city").asText()).isEqualTo("Wien");
        assertThat(invoice.get("addressVersion").asLong()).isEqualTo(2);
        assertThat(invoice.get("total").asText()).isEqualTo("25.00");
        assertThat(invoice.get("lines").get(0).get("unitPrice").asText()).isEqualTo("12.50");
        assertThat(invoice.get("pdf").asText()).isEqualTo("/api/invoices/" + number + ".pdf");

        assertThat(http.get("/api/invoices/" + number).json()).isEqualTo(invoice);
        Http.Response pdf = http.get("/api/invoices/" + number + ".pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(pdf.header("Content-Disposition")).isEqualTo("inline; filename=\"" + number + ".pdf\"");
        assertThat(pdf.body()).startsWith("%PDF-");

        // The customer reads their own documents; another customer is told there are none.
        Http ada = http.as(tokens.asCustomer(customer));
        assertThat(ada.get("/api/invoices?orderId=" + orderId).status()).isEqualTo(200);
        assertThat(ada.get("/api/invoices/" + number + ".pdf").status()).isEqualTo(200);
        Http grace = http.as(tokens.asCustomer(UUID.randomUUID()));
        assertThat(grace.get("/api/invoices?orderId=" + orderId).status()).isEqualTo(404);
        assertThat(grace.get("/api/invoices/" + number).status()).isEqualTo(404);
        assertThat(grace.get("/api/invoices/" + number + ".pdf").status()).isEqualTo(404);

        // The fact on orderflow.billing-events, keyed by the order.
        List<OrderTopic.Record> facts = await().atMost(Duration.ofSeconds(30)).until(
                () -> OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), BillingEventsTopic.NAME).stream()
                        .filter(r -> orderId.toString().equals(r.key())).toList(), list -> !list.isEmpty());
        assertThat(facts).first().satisfies(record -> {
            assertThat(record.headers()).containsEntry("axon-message-type", InvoiceIssuedEvent.class.getName());
            // The billing address travels encrypted with the customer's key (ADR 0032); its country does not.
            assertThat(record.value()).contains("\"number\":\"" + number + "\"").contains("\"country\":\"AT\"")
                    .contains("\"city\":\"pd1:").doesNotContain("Wien");
        });
    }

    @Test
    void anOrderThatFailsAfterItsPaymentGetsACreditNoteReversingItsInvoice() {
        Fulfillment fulfillment = new Fulfillment(http);
        fulfillment.stockNewSku("BILL-2", "4.00", 10);
        // No carrier ships to Antarctica: the shipment fails after the payment, and the order fails.
        UUID orderId = fulfillment.place(Fulfillment.order("BILL-2", 1, "AQ"));
        assertThat(fulfillment.awaitEnd(orderId).get("failureReason").asText()).isEqualTo("SHIPMENT_FAILED");

        JsonNode billing = awaitBilling(http, orderId, "CREDITED");
        JsonNode invoice = billing.get("documents").get(0);
        JsonNode note = billing.get("documents").get(1);
        assertThat(invoice.get("kind").asText()).isEqualTo("INVOICE");
        // The customer never registered: billed to the delivery address the order carried.
        assertThat(invoice.get("billingAddress").get("country").asText()).isEqualTo("AQ");
        assertThat(invoice.get("addressVersion").isNull()).isTrue();
        assertThat(note.get("kind").asText()).isEqualTo("CREDIT_NOTE");
        assertThat(note.get("number").asText()).matches("CRN-\\d{4}-\\d{6}");
        assertThat(note.get("refersTo").asText()).isEqualTo(invoice.get("number").asText());
        assertThat(note.get("reason").asText()).isEqualTo("order failed: SHIPMENT_FAILED");
        assertThat(note.get("total").asText()).isEqualTo("4.00");
        assertThat(http.get("/api/invoices/" + note.get("number").asText() + ".pdf").body()).startsWith("%PDF-");
    }

    @Test
    void badNumbersAndIdsAreAnswered400_andUnknownOnes404() {
        assertThat(http.get("/api/invoices").status()).isEqualTo(400);
        assertThat(http.get("/api/invoices?orderId=not-a-uuid").status()).isEqualTo(400);
        Http.Response badNumber = http.get("/api/invoices/INV-1");
        assertThat(badNumber.status()).isEqualTo(400);
        assertThat(badNumber.body()).contains("INV-2026-000001").doesNotContain("Exception");
        assertThat(http.get("/api/invoices/INV-1.pdf").status()).isEqualTo(400);
        assertThat(http.get("/api/invoices/INV-1999-999999").status()).isEqualTo(404);
        assertThat(http.get("/api/invoices/CRN-1999-999999.pdf").status()).isEqualTo(404);
        assertThat(http.get("/api/invoices?orderId=" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(http.anonymous().get("/api/invoices/INV-1999-999999").status()).isEqualTo(401);
    }

    private static JsonNode awaitBilling(Http http, UUID orderId, String state) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Http.Response response = http.get("/api/invoices?orderId=" + orderId);
            return response.status() == 200 ? response.json() : null;
        }, billing -> billing != null && state.equals(billing.get("state").asText()));
    }
}
