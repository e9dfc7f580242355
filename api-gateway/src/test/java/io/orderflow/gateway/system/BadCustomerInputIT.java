package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the customer endpoints (docs/failure-scenarios.md, S11): each case gets a 4xx problem+json that
 * names the field where there is one, never a 5xx, and stores nothing. Text that merely looks dangerous (emoji,
 * right-to-left script, markup) is valid and is kept literally.
 */
class BadCustomerInputIT extends EmbeddedSystemTest {

    private static final String JSON = "application/json";
    private static final String HOME = """
            {"street": "Hauptstrasse 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}""";
    /** Stands for the id of a registered customer in the address-change cases. */
    private static final String REGISTERED = "{registered}";

    /** One customer for every address-change case: registered once, never changed by them. */
    private static volatile String registeredCustomer;

    static Stream<Arguments> badRegistrations() {
        String ada = customer(q("Ada"), q("ada@example.com"), HOME);
        return Stream.of(
                bad("missing name", JSON, customer(null, q("ada@example.com"), HOME), 400, "name"),
                bad("null name", JSON, customer("null", q("ada@example.com"), HOME), 400, "name"),
                bad("empty name", JSON, customer(q(""), q("ada@example.com"), HOME), 400, "name"),
                bad("blank name", JSON, customer(q("  "), q("ada@example.com"), HOME), 400, "name"),
                bad("oversized name", JSON, customer(q("x".repeat(201)), q("ada@example.com"), HOME), 400, "name"),
                bad("name with NUL", JSON, customer(q("Ada\\u0000"), q("ada@example.com"), HOME), 400, "name"),
                bad("name not a string", JSON, customer("42", q("ada@example.com"), HOME), 400, "name"),
                bad("name an object", JSON, customer("{\"first\": \"Ada\"}", q("ada@example.com"), HOME), 400,
                        "name"),
                bad("missing email", JSON, customer(q("Ada"), null, HOME), 400, "email"),
                bad("email without @", JSON, customer(q("Ada"), q("ada.example.com"), HOME), 400, "email"),
                bad("email with nothing after @", JSON, customer(q("Ada"), q("ada@"), HOME), 400, "email"),
                bad("email with two @", JSON, customer(q("Ada"), q("ada@home@example.com"), HOME), 400, "email"),
                bad("email with spaces", JSON, customer(q("Ada"), q("a da@example.com"), HOME), 400, "email"),
                bad("email with NUL", JSON, customer(q("Ada"), q("ada\\u0000@example.com"), HOME), 400, "email"),
                bad("oversized email", JSON, customer(q("Ada"), q("a".repeat(250) + "@example.com"), HOME), 400,
                        "email"),
                bad("missing address", JSON, customer(q("Ada"), q("ada@example.com"), null), 400, "shippingAddress"),
                bad("address not an object", JSON, customer(q("Ada"), q("ada@example.com"), q("Berlin")), 400,
                        "shippingAddress"),
                bad("address without street", JSON, customer(q("Ada"), q("ada@example.com"),
                        without(HOME, "street")), 400, "shippingAddress.street"),
                bad("address without city", JSON, customer(q("Ada"), q("ada@example.com"),
                        without(HOME, "city")), 400, "shippingAddress.city"),
                bad("address without postal code", JSON, customer(q("Ada"), q("ada@example.com"),
                        without(HOME, "postalCode")), 400, "shippingAddress.postalCode"),
                bad("address without country", JSON, customer(q("Ada"), q("ada@example.com"),
                        without(HOME, "country")), 400, "shippingAddress.country"),
                bad("empty address", JSON, customer(q("Ada"), q("ada@example.com"), "{}"), 400,
                        "shippingAddress.street"),
                bad("unknown country", JSON, customer(q("Ada"), q("ada@example.com"),
                        HOME.replace("\"DE\"", "\"XX\"")), 400, "shippingAddress.country"),
                bad("lower-case country", JSON, customer(q("Ada"), q("ada@example.com"),
                        HOME.replace("\"DE\"", "\"de\"")), 400, "shippingAddress.country"),
                bad("street with NUL", JSON, customer(q("Ada"), q("ada@example.com"),
                        HOME.replace("Hauptstrasse 1", "Haupt\\u0000strasse 1")), 400, "shippingAddress.street"),
                bad("oversized city", JSON, customer(q("Ada"), q("ada@example.com"),
                        HOME.replace("Berlin", "B".repeat(201))), 400, "shippingAddress.city"),
                bad("bad billing address", JSON, ada.substring(0, ada.length() - 1)
                        + ", \"billingAddress\": " + HOME.replace("\"DE\"", "\"ZZ\"") + "}", 400,
                        "billingAddress.country"),
                bad("client sets version", JSON, ada.replace("{\"name\"", "{\"version\": 7, \"name\""), 400,
                        "version"),
                bad("client sets customerId", JSON, ada.replace("{\"name\"",
                        "{\"customerId\": \"" + UUID.randomUUID() + "\", \"name\""), 400, "customerId"),
                bad("unknown field in the address", JSON, customer(q("Ada"), q("ada@example.com"),
                        HOME.replace("{", "{\"state\": \"BE\", ")), 400, "shippingAddress.state"),
                bad("duplicate key", JSON, ada.replace("{\"name\"", "{\"email\": \"x@example.com\", \"name\""), 400,
                        null),
                bad("malformed JSON", JSON, "{\"name\": ", 400, null),
                bad("truncated JSON", JSON, ada.substring(0, 30), 400, null),
                bad("JSON null", JSON, "null", 400, null),
                bad("JSON array", JSON, "[" + ada + "]", 400, null),
                bad("empty body", JSON, "", 400, null),
                bad("deep nesting", JSON, "{\"name\": " + "[".repeat(3000) + "]".repeat(3000) + "}", 400, null),
                bad("wrong content type", "text/plain", ada, 415, null),
                bad("form content type", "application/x-www-form-urlencoded", "name=Ada&email=ada@example.com",
                        415, null));
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

    static Stream<Arguments> badAddressChanges() {
        String shipping = "/api/customers/" + REGISTERED + "/shipping-address";
        String billing = "/api/customers/" + REGISTERED + "/billing-address";
        return Stream.of(
                badPut("blank street", shipping, JSON, HOME.replace("Hauptstrasse 1", " "), 400, "street"),
                badPut("missing city", shipping, JSON, without(HOME, "city"), 400, "city"),
                badPut("missing postal code", billing, JSON, without(HOME, "postalCode"), 400, "postalCode"),
                badPut("missing country", billing, JSON, without(HOME, "country"), 400, "country"),
                badPut("unknown country", billing, JSON, HOME.replace("\"DE\"", "\"ZZ\""), 400, "country"),
                badPut("city with NUL", shipping, JSON, HOME.replace("Berlin", "Ber\\u0000lin"), 400, "city"),
                badPut("country not a string", shipping, JSON, HOME.replace("\"DE\"", "49"), 400, "country"),
                badPut("unknown field", billing, JSON, HOME.replace("{", "{\"kind\": \"SHIPPING\", "), 400, "kind"),
                badPut("client sets version", shipping, JSON, HOME.replace("{", "{\"version\": 9, "), 400,
                        "version"),
                badPut("malformed JSON", shipping, JSON, "{\"street\": ", 400, null),
                badPut("truncated JSON", billing, JSON, HOME.substring(0, 25), 400, null),
                badPut("duplicate key", shipping, JSON, HOME.replace("{", "{\"city\": \"Paris\", "), 400, null),
                badPut("JSON null", shipping, JSON, "null", 400, null),
                badPut("empty body", billing, JSON, "", 400, null),
                badPut("wrong content type", shipping, "text/plain", HOME, 415, null),
                badPut("non-UUID id", "/api/customers/42/billing-address", JSON, HOME, 400, "customerId"),
                badPut("unknown customer", "/api/customers/" + UUID.randomUUID() + "/shipping-address", JSON, HOME,
                        404, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAddressChanges")
    void badAddressChangesAreRefusedAndStoreNothing(String name, String path, String contentType, String body,
                                                    int status, String field) {
        String resolved = path.replace(REGISTERED, registeredCustomer());
        long before = storedEvents();

        Http.Response response = put(resolved, contentType, body);

        assertProblem(name, response, status, field);
        assertThat(storedEvents()).isEqualTo(before);
        if (path.contains(REGISTERED)) {
            JsonNode profile = http.get("/api/customers/" + registeredCustomer() + "?minVersion=0").json();
            assertThat(profile.get("version").asLong()).as(name + ": the profile is unchanged").isZero();
        }
    }

    @Test
    void badReadsAreRefused() {
        assertProblem("non-UUID id", http.get("/api/customers/not-a-uuid"), 400, "customerId");
        assertProblem("minVersion not a number",
                http.get("/api/customers/" + registeredCustomer() + "?minVersion=latest"), 400, "minVersion");
        Http.Response unknown = http.get("/api/customers/" + UUID.randomUUID());
        assertProblem("unknown customer", unknown, 404, null);
        assertThat(unknown.json().get("type").asText()).isEqualTo("/problems/not-found");
    }

    @Test
    void textWithEmojiRightToLeftAndMarkupIsStoredAndShownLiterally() {
        String literal = "Zoë \uD83D\uDE80 \u05E2\u05D3\u05D4 <script>alert('x')</script>";
        String escaped = "Zoë \\uD83D\\uDE80 \\u05E2\\u05D3\\u05D4 <script>alert('x')</script>";
        Http.Response registered = http.postJson("/api/customers",
                customer(q(escaped), q("zoe@example.com"), HOME));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String customerId = registered.json().get("customerId").asText();

        Http.Response changed = http.put("/api/customers/" + customerId + "/shipping-address",
                HOME.replace("Hauptstrasse 1", "\u05E8\u05D7\u05D5\u05D1 \u05D4\u05E8\u05E6\u05DC 5 \uD83C\uDFE0")
                        .replace("Berlin", "<b>Tel Aviv</b>").replace("\"DE\"", "\"IL\""));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);

        JsonNode profile = http.get("/api/customers/" + customerId + "?minVersion=1").json();
        assertThat(profile.get("name").asText()).isEqualTo(literal);
        assertThat(profile.get("shippingAddress").get("street").asText())
                .isEqualTo("\u05E8\u05D7\u05D5\u05D1 \u05D4\u05E8\u05E6\u05DC 5 \uD83C\uDFE0");
        assertThat(profile.get("shippingAddress").get("city").asText()).isEqualTo("<b>Tel Aviv</b>");
    }

    private String registeredCustomer() {
        if (registeredCustomer == null) {
            Http.Response registered = http.postJson("/api/customers",
                    customer(q("Ada"), q("ada@example.com"), HOME));
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            registeredCustomer = registered.json().get("customerId").asText();
        }
        return registeredCustomer;
    }

    private static void assertProblem(String name, Http.Response response, int status, String field) {
        BadInputCases.tried();
        assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(name).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            response.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).as(name).contains(field);
        }
        BadInputCases.refusedCleanly(status);
    }

    @AfterAll
    static void reportTally() {
        BadInputCases.report("orders and customers");
    }

    /** A PUT with any content type: {@link Http#put} always sends JSON. */
    private Http.Response put(String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .header("Authorization", "Bearer " + http.token())
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            return new Http.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Arguments bad(String name, String contentType, String body, int status, String field) {
        return Arguments.of(name, contentType, body, status, field);
    }

    private static Arguments badPut(String name, String path, String contentType, String body, int status,
                                    String field) {
        return Arguments.of(name, path, contentType, body, status, field);
    }

    private static String q(String value) {
        return "\"" + value + "\"";
    }

    /** The address without one component, e.g. {@code without(HOME, "city")}. */
    private static String without(String address, String component) {
        return address.replaceAll("\"" + component + "\": \"[^\"]*\",? ?", "").replace(", }", "}");
    }

    private static String customer(String name, String email, String shippingAddress) {
        List<String> fields = new ArrayList<>();
        if (name != null) {
            fields.add("\"name\": " + name);
        }
        if (email != null) {
            fields.add("\"email\": " + email);
        }
        if (shippingAddress != null) {
            fields.add("\"shippingAddress\": " + shippingAddress);
        }
        return "{" + String.join(", ", fields) + "}";
    }
}
