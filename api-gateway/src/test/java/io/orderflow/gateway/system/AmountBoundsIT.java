package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Amounts are bounded before any arithmetic, and an order's total is bounded too: a price of zero or above the
 * catalogue's highest, a huge exponent or digit count, and an order whose total is zero or above the highest total
 * are each a 4xx problem that changes nothing (part of scenario S11).
 */
class AmountBoundsIT extends EmbeddedSystemTest {

    @ParameterizedTest(name = "catalogue price {0}")
    @ValueSource(strings = {"\"0\"", "\"0.00\"", "\"1000000.01\"", "\"1e500000000\"", "1e500000000",
            "\"1e-500000000\"", "\"123456789012345678901234567890\""})
    void aPriceOfZeroAboveTheHighestOrWithHugeDigitsIsRefused(String unitPrice) {
        BadInputCases.tried();
        String before = http.get("/api/catalogue").body();

        long started = System.nanoTime();
        Http.Response refused = http.put("/api/catalogue/SKU-1",
                "{\"name\": \"Espresso beans, 1 kg\", \"unitPrice\": " + unitPrice + ", \"currency\": \"EUR\"}");
        long millis = (System.nanoTime() - started) / 1_000_000;
        BadInputCases.answeredIn("catalogue price " + unitPrice, millis);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("errors").findValuesAsText("field")).contains("unitPrice");
        assertThat(http.get("/api/catalogue").body()).isEqualTo(before);
        BadInputCases.refusedCleanly(400);
    }

    @Test
    void theHighestPriceIsAccepted() {
        Http.Response priced = http.put("/api/catalogue/" + newSku(),
                "{\"name\": \"Roaster\", \"unitPrice\": \"1000000.00\", \"currency\": \"EUR\"}");

        assertThat(priced.status()).as(priced.body()).isEqualTo(200);
        assertThat(priced.json().get("unitPrice").asText()).isEqualTo("1000000.00");
    }

    @Test
    void anOrderAboveTheHighestTotalIsRefused_andStoresNothing() {
        String sku = newSku();
        assertThat(http.put("/api/catalogue/" + sku,
                "{\"name\": \"Roaster\", \"unitPrice\": \"1000000\", \"currency\": \"EUR\"}").status()).isEqualTo(200);

        // 1,001 items of 1,000,000.00 EUR: 1,001,000,000.00 EUR, above the highest total of 1,000,000,000.
        assertRefusedAsOutOfRange(order(sku, 1001));
        assertThat(http.postJson("/api/orders", order(sku, 1000)).status()).isEqualTo(201);
    }

    /** A zero price can no longer be set, but an item priced before the rule may still have one. */
    @Test
    void anOrderWhoseTotalIsZeroIsRefused_andStoresNothing() {
        String sku = newSku();
        jdbc.update("INSERT INTO catalogue_item (sku, name, unit_price, currency) VALUES (?, 'Sample', 0, 'EUR')",
                sku);

        assertRefusedAsOutOfRange(order(sku, 3));
    }

    @AfterAll
    static void reportTally() {
        BadInputCases.report("orders, customers and amounts");
    }

    private void assertRefusedAsOutOfRange(String order) {
        BadInputCases.tried();
        long eventsBefore = storedEvents();

        Http.Response refused = http.postJson("/api/orders", order);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonNode problem = refused.json();
        assertThat(problem.get("type").asText()).isEqualTo("/problems/total-out-of-range");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("lines");
        assertThat(storedEvents()).isEqualTo(eventsBefore);
        BadInputCases.refusedCleanly(422);
    }

    private static String newSku() {
        return "SKU-B" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String order(String sku, int quantity) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "%s", "quantity": %d}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), sku, quantity, Orders.HOME);
    }
}
