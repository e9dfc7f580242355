package io.orderflow.contractcheck;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema says exactly what orderflow's Jackson serializer writes for each kind of property. */
class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record ParcelId(@JsonValue UUID value) {
    }

    enum Carrier { DHL, UPS }

    record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    record Address(String city, String country) {
    }

    @Revision("3")
    record ParcelShipped(ParcelId parcelId, String note, long weightGrams, boolean insured, Carrier carrier,
                         List<Line> lines, Address to, @Nullable Address returnTo, @Nullable Long trackingNumber,
                         @Nullable Carrier fallbackCarrier, Instant shippedAt, Map<String, Integer> counts) {
    }

    @Revision("1")
    record WithOptional(Optional<String> note) {
    }

    record NoRevision(String value) {
    }

    @Test
    void anEventRecordIsAnObjectWithItsTypeAndRevision_allowingUnknownProperties() {
        JsonNode schema = EventSchemas.schemaFor(ParcelShipped.class);

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("title").asText()).isEqualTo("ParcelShipped");
        assertThat(schema.get("x-event-type").asText()).isEqualTo(ParcelShipped.class.getName());
        assertThat(schema.get("x-revision").asText()).isEqualTo("3");
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.get("additionalProperties").asBoolean()).isTrue();
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("parcelId", "note",
                "weightGrams", "insured", "carrier", "lines", "to", "shippedAt", "counts");
    }

    @Test
    void eachKindOfPropertyHasItsJsonType() throws Exception {
        JsonNode properties = EventSchemas.schemaFor(ParcelShipped.class).get("properties");

        assertThat(properties.get("parcelId")).as("a single-value id is its value")
                .isEqualTo(json("{'type':'string','format':'uuid'}"));
        assertThat(properties.get("note")).isEqualTo(json("{'type':'string'}"));
        assertThat(properties.get("weightGrams")).isEqualTo(json("{'type':'integer'}"));
        assertThat(properties.get("insured")).isEqualTo(json("{'type':'boolean'}"));
        assertThat(properties.get("carrier")).isEqualTo(json("{'type':'string','enum':['DHL','UPS']}"));
        assertThat(properties.get("lines")).isEqualTo(json("""
                {'type':'array','items':{'type':'object','properties':{'sku':{'type':'string'},
                 'quantity':{'type':'integer'},'unitPrice':{'type':'number'}},
                 'required':['sku','quantity','unitPrice'],'additionalProperties':true}}"""));
        assertThat(properties.get("shippedAt")).isEqualTo(json("{'type':'string','format':'date-time'}"));
        assertThat(properties.get("counts")).isEqualTo(json(
                "{'type':'object','additionalProperties':{'type':'integer'}}"));
    }

    @Test
    void aNullablePropertyIsOptionalAndAdmitsNull() throws Exception {
        JsonNode properties = EventSchemas.schemaFor(ParcelShipped.class).get("properties");

        assertThat(properties.get("trackingNumber")).isEqualTo(json("{'type':['integer','null']}"));
        assertThat(properties.get("fallbackCarrier"))
                .isEqualTo(json("{'type':['string','null'],'enum':['DHL','UPS',null]}"));
        assertThat(properties.get("returnTo").get("type")).isEqualTo(json("['object','null']"));
        assertThat(properties.get("to").get("type").asText()).isEqualTo("object");
    }

    @Test
    void aTypeTheGeneratorDoesNotKnowIsRefusedWithItsPath() {
        assertThatThrownBy(() -> EventSchemas.schemaFor(WithOptional.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WithOptional.note: java.util.Optional<java.lang.String> is not a type the "
                        + "contract generator knows");
    }

    @Test
    void aRecordWithoutRevisionIsNoEvent() {
        assertThat(EventSchemas.isEvent(NoRevision.class)).isFalse();
        assertThatThrownBy(() -> EventSchemas.schemaFor(NoRevision.class))
                .hasMessageContaining("is not a record annotated with @Revision");
    }

    private static JsonNode json(String singleQuoted) throws Exception {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }
}
