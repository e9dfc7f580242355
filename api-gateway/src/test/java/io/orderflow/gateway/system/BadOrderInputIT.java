package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to {@code POST /api/orders}: each case gets a 4xx problem+json that names the field where there is
 * one, never a 5xx, and stores nothing.
 */
class BadOrderInputIT extends EmbeddedSystemTest {

    private static final String CUSTOMER = UUID.randomUUID().toString();
    private static final String JSON = "application/json";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("missing customer", JSON, order(null, "\"EUR\"", line("\"SKU-1\"", "1", null)), 400, "customerId"),
                bad("customer not a UUID", JSON, order("\"42\"", "\"EUR\"", line("\"SKU-1\"", "1", null)), 400,
                        "customerId"),
                bad("no lines", JSON, order(q(CUSTOMER), "\"EUR\""), 400, "lines"),
                bad("lines missing", JSON, """
                        {"customerId": "%s", "currency": "EUR", "deliveryAddress": %s}"""
                        .formatted(CUSTOMER, Orders.HOME), 400, "lines"),
                bad("zero quantity", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "0", null)), 400,
                        "lines[0].quantity"),
                bad("negative quantity", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "-3", null)), 400,
                        "lines[0].quantity"),
                bad("overflowing quantity", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "99999999999999999999", null)), 400, "lines[0].quantity"),
                bad("fractional quantity", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1.5", null)), 400,
                        "lines[0].quantity"),
                bad("negative price", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", "\"-19.99\"")), 400,
                        "lines[0].unitPrice"),
                bad("over-precise price", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", "\"19.991\"")),
                        400, "lines[0].unitPrice"),
                bad("price with a huge exponent", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "1", "\"1e500000000\"")), 400, "lines[0].unitPrice"),
                bad("price with a huge exponent as a JSON number", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "1", "1e500000000")), 400, "lines[0].unitPrice"),
                bad("price with an exponent beyond any scale", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "1", "\"1e5000000000\"")), 400, "lines[0].unitPrice"),
                bad("price with a huge negative exponent", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "1", "\"1e-500000000\"")), 400, "lines[0].unitPrice"),
                bad("price with thirty integer digits", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "1", "\"123456789012345678901234567890\"")), 400, "lines[0].unitPrice"),
                bad("price with a thousand fraction digits", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"SKU-1\"", "1", "\"1." + "1".repeat(1000) + "\"")), 400, "lines[0].unitPrice"),
                bad("price not a number", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", "\"cheap\"")),
                        400, "lines[0].unitPrice"),
                bad("unknown currency", JSON, order(q(CUSTOMER), "\"ZZZ\"", line("\"SKU-1\"", "1", null)), 400,
                        "currency"),
                bad("lower-case currency", JSON, order(q(CUSTOMER), "\"eur\"", line("\"SKU-1\"", "1", null)), 400,
                        "currency"),
                bad("sku with a NUL", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU\\u00001\"", "1", null)), 400,
                        "lines[0].sku"),
                bad("sql injection in sku", JSON, order(q(CUSTOMER), "\"EUR\"",
                        line("\"x'; DROP TABLE domain_event_entry; --\"", "1", null)), 400, "lines[0].sku"),
                bad("client sets status", JSON, """
                        {"customerId": "%s", "currency": "EUR", "status": "COMPLETED",
                         "lines": [{"sku": "SKU-1", "quantity": 1}], "deliveryAddress": %s}"""
                        .formatted(CUSTOMER, Orders.HOME), 400, "status"),
                bad("client sets totalAmount", JSON, """
                        {"customerId": "%s", "currency": "EUR", "totalAmount": "0.01",
                         "lines": [{"sku": "SKU-1", "quantity": 1}], "deliveryAddress": %s}"""
                        .formatted(CUSTOMER, Orders.HOME), 400, "totalAmount"),
                bad("address and version both", JSON, """
                        {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1}],
                         "deliveryAddress": %s, "addressVersion": 2}""".formatted(CUSTOMER, Orders.HOME), 400,
                        "addressVersion"),
                bad("unknown country", JSON, """
                        {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1}],
                         "deliveryAddress": {"street": "s", "city": "c", "postalCode": "1", "country": "XX"}}"""
                        .formatted(CUSTOMER), 400, "deliveryAddress.country"),
                bad("lines not an array", JSON, """
                        {"customerId": "%s", "currency": "EUR", "lines": "SKU-1", "deliveryAddress": %s}"""
                        .formatted(CUSTOMER, Orders.HOME), 400, "lines"),
                bad("duplicate key", JSON, """
                        {"customerId": "%s", "customerId": "%s", "currency": "EUR",
                         "lines": [{"sku": "SKU-1", "quantity": 1}], "deliveryAddress": %s}"""
                        .formatted(CUSTOMER, UUID.randomUUID(), Orders.HOME), 400, null),
                bad("malformed JSON", JSON, "{\"customerId\": ", 400, null),
                bad("truncated JSON", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", null))
                        .substring(0, 60), 400, null),
                bad("trailing garbage", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", null)) + " x", 400,
                        null),
                bad("empty body", JSON, "", 400, null),
                bad("a JSON array instead of an object", JSON, "[]", 400, null),
                bad("deep nesting", JSON, "[".repeat(5000) + "]".repeat(5000), 400, null),
                bad("oversized body", JSON, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", null))
                        .replace("\"currency\"", "\"padding\": \"" + "x".repeat(2_000_000) + "\", \"currency\""), 413,
                        null),
                bad("ten thousand lines", JSON, order(q(CUSTOMER), "\"EUR\"",
                        java.util.Collections.nCopies(10_000, line("\"SKU-1\"", "1", null)).toArray(String[]::new)),
                        400, "lines"),
                bad("wrong content type", "text/plain", order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", null)),
                        415, null),
                bad("no content type", null, order(q(CUSTOMER), "\"EUR\"", line("\"SKU-1\"", "1", null)), 415, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsRefusedWithAProblemAndStoresNothing(String name, String contentType, String body, int status,
                                                        String field) {
        BadInputCases.tried();
        long eventsBefore = storedEvents();

        long started = System.nanoTime();
        Http.Response response = http.post("/api/orders", contentType, body);
        long millis = (System.nanoTime() - started) / 1_000_000;
        BadInputCases.answeredIn(name, millis);

        assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(name).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.hasNonNull("detail")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).as(name).contains(field);
        }
        assertThat(storedEvents()).as("events stored by a refused request").isEqualTo(eventsBefore);
        if (name.startsWith("price with")) {
            // Expanded, such an amount costs seconds to minutes of CPU; refused from its digits, milliseconds. The
            // bound only separates the two on a noisy machine; the slowest refusal is in the S11 row.
            assertThat(millis).as(name + ": refused in ms").isLessThan(1000);
        }
        BadInputCases.refusedCleanly(status);
    }

    @AfterAll
    static void reportTally() {
        BadInputCases.report("orders and customers");
    }

    @org.junit.jupiter.api.Test
    void textWithEmojiRightToLeftAndMarkupIsStoredAndShownLiterally() {
        String street = "Rue de l'Église 5 \uD83D\uDE9A \u05E9\u05DC\u05D5\u05DD <script>alert(1)</script>";
        String body = """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1}],
                 "deliveryAddress": {"street": "%s", "city": "Paris'; DROP TABLE order_summary; --",
                 "postalCode": "75001", "country": "FR"}}""".formatted(UUID.randomUUID(), street);

        Http.Response placed = http.postJson("/api/orders", body);

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        Http.Response read = http.get("/api/orders/" + placed.json().get("orderId").asText() + "?minVersion=0");
        assertThat(read.contentType()).startsWith("application/json");
        assertThat(read.json().get("deliveryAddress").get("street").asText())
                .isEqualTo("Rue de l'Église 5 \uD83D\uDE9A \u05E9\u05DC\u05D5\u05DD <script>alert(1)</script>");
        assertThat(read.json().get("deliveryAddress").get("city").asText())
                .isEqualTo("Paris'; DROP TABLE order_summary; --");
    }

    private static Arguments bad(String name, String contentType, String body, int status, String field) {
        return Arguments.of(name, contentType, body, status, field);
    }

    private static String q(String value) {
        return "\"" + value + "\"";
    }

    private static String line(String sku, String quantity, String unitPrice) {
        return "{\"sku\": " + sku + ", \"quantity\": " + quantity
                + (unitPrice == null ? "" : ", \"unitPrice\": " + unitPrice) + "}";
    }

    private static String order(String customerId, String currency, String... lines) {
        return "{" + (customerId == null ? "" : "\"customerId\": " + customerId + ", ") + "\"currency\": " + currency
                + ", \"lines\": [" + String.join(", ", lines) + "], \"deliveryAddress\": " + Orders.HOME + "}";
    }
}
