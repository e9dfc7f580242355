package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeded catalogue, an operator's price change, and that orders are priced from it.
 */
class CatalogueIT extends EmbeddedSystemTest {

    @Test
    void theDefaultRunSeedsSixItemsInEuro() {
        JsonNode catalogue = http.get("/api/catalogue").json();

        assertThat(catalogue.findValuesAsText("sku")).contains("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5", "SKU-9");
        // Other tests add items of their own; the seeded beans are the one named SKU-1.
        JsonNode beans = null;
        for (JsonNode item : catalogue) {
            if ("SKU-1".equals(item.get("sku").asText())) {
                beans = item;
            }
        }
        assertThat(beans).isNotNull();
        assertThat(beans.get("unitPrice").asText()).isEqualTo("19.99");
        assertThat(beans.get("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void givenANewPrice_whenAnOrderShowsTheOldOne_then409_andWithTheNewOneItIsAccepted() {
        String sku = "SKU-T" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response created = put(sku, "{\"name\": \"Tamper\", \"unitPrice\": \"25.00\", \"currency\": \"EUR\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("unitPrice").asText()).isEqualTo("25.00");
        Http.Response repriced = put(sku, "{\"name\": \"Tamper\", \"unitPrice\": \"27.5\", \"currency\": \"EUR\"}");
        assertThat(repriced.json().get("unitPrice").asText()).isEqualTo("27.50");

        Http.Response stale = http.postJson("/api/orders", order(sku, "25.00"));
        Http.Response current = http.postJson("/api/orders", order(sku, "27.50"));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("type").asText()).isEqualTo("/problems/price-changed");
        assertThat(current.status()).as(current.body()).isEqualTo(201);
        assertThat(current.json().get("totalAmount").asText()).isEqualTo("55.00");
    }

    @Test
    void badPriceChangesAre400AndChangeNothing() {
        String before = http.get("/api/catalogue").body();

        assertThat(put("SKU-1", "{\"name\": \"x\", \"unitPrice\": \"-1\", \"currency\": \"EUR\"}").status())
                .isEqualTo(400);
        assertThat(put("SKU-1", "{\"name\": \"x\", \"unitPrice\": \"1.001\", \"currency\": \"EUR\"}").status())
                .isEqualTo(400);
        assertThat(put("SKU-1", "{\"name\": \"\", \"unitPrice\": \"1.00\", \"currency\": \"EUR\"}").status())
                .isEqualTo(400);
        assertThat(put("SKU-1", "{\"name\": \"x\", \"unitPrice\": \"1.00\", \"currency\": \"euro\"}").status())
                .isEqualTo(400);
        assertThat(put("bad sku!", "{\"name\": \"x\", \"unitPrice\": \"1.00\", \"currency\": \"EUR\"}").status())
                .isEqualTo(400);
        assertThat(put("SKU-1", "{\"name\": \"x\"}").json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("unitPrice", "currency");
        assertThat(http.get("/api/catalogue").body()).isEqualTo(before);
    }

    private Http.Response put(String sku, String body) {
        return http.put("/api/catalogue/" + sku.replace(" ", "%20").replace("!", "%21"), body);
    }

    private static String order(String sku, String shownPrice) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "%s", "quantity": 2, "unitPrice": "%s"}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), sku, shownPrice, Orders.HOME);
    }
}
