package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the customer endpoints (SCENARIOS.md S11): a 4xx problem+json naming the field, never a 5xx, and
 * no event stored.
 */
class BadCustomerInputIT extends EmbeddedSystemTest {

    private static final String JSON = "application/json";
    private static final String HOME = """
            {"street": "Hauptstrasse 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}""";

    static Stream<Arguments> badRegistrations() {
        return Stream.of(
                bad("missing name", JSON, customer(null, q("ada@example.com"), HOME), 400, "name"),
                bad("blank name", JSON, customer(q("  "), q("ada@example.com"), HOME), 400, "name"),
                bad("oversized name", JSON, customer(q("x".repeat(201)), q("ada@example.com"), HOME), 400, "name"),
                bad("name with NUL", JSON, customer(q("Ada\\u0000"), q("ada@example.com"), HOME), 400, "name"),
                bad("bad email", JSON, customer(q("Ada"), q("ada@"), HOME), 400, "email"),
                bad("email with spaces", JSON, customer(q("Ada"), q("a da@example.com"), HOME), 400, "email"),
                bad("missing address", JSON, customer(q("Ada"), q("ada@example.com"), null), 400, "shippingAddress"),
                bad("address without city", JSON, customer(q("Ada"), q("ada@example.com"),
                        "{\"street\": \"s\", \"postalCode\": \"1\", \"country\": \"DE\"}"), 400, "shippingAddress.city"),
                bad("unknown country", JSON, customer(q("Ada"), q("ada@example.com"),
                        HOME.replace("\"DE\"", "\"XX\"")), 400, "shippingAddress.country"),
                bad("client sets version", JSON, customer(q("Ada"), q("ada@example.com"), HOME)
                        .replace("{\"name\"", "{\"version\": 7, \"name\""), 400, "version"),
                bad("client sets customerId", JSON, customer(q("Ada"), q("ada@example.com"), HOME)
                        .replace("{\"name\"", "{\"customerId\": \"" + UUID.randomUUID() + "\", \"name\""), 400,
                        "customerId"),
                bad("name not a string", JSON, customer("42", q("ada@example.com"), HOME), 400, null),
                bad("duplicate key", JSON, customer(q("Ada"), q("ada@example.com"), HOME)
                        .replace("{\"name\"", "{\"email\": \"x@example.com\", \"name\""), 400, null),
                bad("malformed JSON", JSON, "{\"name\": ", 400, null),
                bad("truncated JSON", JSON, customer(q("Ada"), q("ada@example.com"), HOME).substring(0, 30), 400,
                        null),
                bad("JSON null", JSON, "null", 400, null),
                bad("deep nesting", JSON, "{\"name\": " + "[".repeat(3000) + "]".repeat(3000) + "}", 400, null),
                bad("wrong content type", "text/plain", customer(q("Ada"), q("ada@example.com"), HOME), 415, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRegistrations")
    void badRegistrationsAreRefusedAndStoreNothing(String name, String contentType, String body, int status,
                                                   String field) {
        long before = storedEvents();

        Http.Response response = http.post("/api/customers", contentType, body);

        assertProblem(name, response, status, field);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void badAddressChangesAndIdsAreRefusedAndStoreNothing() {
        String customerId = http.postJson("/api/customers", customer(q("Ada"), q("ada@example.com"), HOME))
                .json().get("customerId").asText();
        long before = storedEvents();

        assertProblem("blank street", http.put("/api/customers/" + customerId + "/shipping-address",
                HOME.replace("Hauptstrasse 1", " ")), 400, "street");
        assertProblem("unknown country", http.put("/api/customers/" + customerId + "/billing-address",
                HOME.replace("\"DE\"", "\"ZZ\"")), 400, "country");
        assertProblem("unknown field", http.put("/api/customers/" + customerId + "/billing-address",
                HOME.replace("{", "{\"kind\": \"SHIPPING\", ")), 400, "kind");
        assertProblem("non-UUID id", http.put("/api/customers/42/billing-address", HOME), 400, "customerId");
        assertProblem("non-UUID id on read", http.get("/api/customers/not-a-uuid"), 400, "customerId");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void textWithEmojiRightToLeftAndMarkupIsStoredAndShownLiterally() {
        String name = "Zoë \\uD83D\\uDE80 \\u05E2\\u05D3\\u05D4 <script>alert('x')</script>";
        Http.Response registered = http.postJson("/api/customers",
                customer(q(name), q("zoe@example.com"), HOME));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);

        JsonNode profile = http.get("/api/customers/" + registered.json().get("customerId").asText()
                + "?minVersion=0").json();

        assertThat(profile.get("name").asText()).isEqualTo("Zoë \uD83D\uDE80 \u05E2\u05D3\u05D4 <script>alert('x')</script>");
    }

    private static void assertProblem(String name, Http.Response response, int status, String field) {
        assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(name).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            response.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).as(name).contains(field);
        }
    }

    private static Arguments bad(String name, String contentType, String body, int status, String field) {
        return Arguments.of(name, contentType, body, status, field);
    }

    private static String q(String value) {
        return "\"" + value + "\"";
    }

    private static String customer(String name, String email, String shippingAddress) {
        return "{" + (name == null ? "" : "\"name\": " + name + ", ") + "\"email\": " + email
                + (shippingAddress == null ? "" : ", \"shippingAddress\": " + shippingAddress) + "}";
    }
}
