package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A committed schema is read with the event, type and revision it declares, which its file name must match. */
class CommittedContractTest {

    private static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "OrderAcceptedEvent",
             "x-event-type": "io.orderflow.order.api.OrderAcceptedEvent", "x-revision": "2", "type": "object"}""";

    @Test
    void readsWhatTheSchemaDeclares() throws Exception {
        CommittedContract contract = CommittedContract.read("OrderAcceptedEvent.v2.schema.json", stream(SCHEMA));

        assertThat(contract.event()).isEqualTo("OrderAcceptedEvent");
        assertThat(contract.type()).isEqualTo("io.orderflow.order.api.OrderAcceptedEvent");
        assertThat(contract.revision()).isEqualTo("2");
        assertThat(contract.schema().get("type").asText()).isEqualTo("object");
        assertThat(CommittedContract.fileName("OrderAcceptedEvent", "2"))
                .isEqualTo("OrderAcceptedEvent.v2.schema.json");
    }

    @Test
    void saysWhatInAPayloadTheContractDoesNotAllow() throws Exception {
        CommittedContract contract = new CommittedContract("Shipped", "x.Shipped", "1",
                EventSchemas.schemaFor(EventSchemasTest.ParcelShipped.class));
        ObjectMapper json = new ObjectMapper();

        List<String> violations = contract.violations(json.readTree("""
                {"parcelId": "6f1c3a52-8d0e-4c57-9a3e-1d2b3c4d5e6f", "note": null, "weightGrams": 1.5,
                 "insured": true, "carrier": "FEDEX", "lines": [{"sku": "A", "quantity": 1}],
                 "to": {"city": "Berlin", "country": "DE"}, "returnTo": null, "trackingNumber": null,
                 "fallbackCarrier": null, "counts": {}, "somethingNew": 1}"""));

        assertThat(violations).containsExactlyInAnyOrder(
                "Shipped.note: null, but must be string",
                "Shipped.weightGrams: number, but must be integer",
                "Shipped.carrier: \"FEDEX\" is not one of [DHL, UPS]",
                "Shipped.lines[].unitPrice: required, but missing",
                "Shipped.shippedAt: required, but missing");
    }

    @Test
    void refusesAFileWhoseNameAndContentDisagree() {
        assertThatThrownBy(() -> CommittedContract.read("OrderAcceptedEvent.v1.schema.json", stream(SCHEMA)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold the contract its name promises");
        assertThatThrownBy(() -> CommittedContract.read("notes.json", stream(SCHEMA)))
                .hasMessageContaining("is not named <Event>.v<revision>.schema.json");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
