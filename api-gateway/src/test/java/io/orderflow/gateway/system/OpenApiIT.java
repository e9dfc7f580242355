package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.judge.CommittedDocument;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API documents itself: an OpenAPI document and a Swagger UI served by the application, nothing from outside;
 * the document is committed as {@code docs/openapi.json}, so that a change of the API shows as a diff.
 */
class OpenApiIT extends EmbeddedSystemTest {

    /** The committed document, from the api-gateway module where the tests run. */

    @Test
    void theOpenApiDocumentListsTheOrderAndCatalogueEndpoints() {
        Http.Response document = http.get("/v3/api-docs");

        assertThat(document.status()).isEqualTo(200);
        JsonNode paths = document.json().get("paths");
        assertThat(paths.has("/api/orders")).isTrue();
        assertThat(paths.has("/api/orders/{orderId}")).isTrue();
        assertThat(paths.has("/api/orders/{orderId}/cancel")).isTrue();
        assertThat(paths.has("/api/catalogue")).isTrue();
        JsonNode place = paths.at("/~1api~1orders/post/responses");
        assertThat(place.has("201")).as("placing an order answers 201").isTrue();
        assertThat(place.at("/201/headers").has("Location")).isTrue();
        assertThat(place.at("/400/content").has("application/problem+json")).isTrue();
    }

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        new CommittedDocument("openapi.json", "openapi.write", "OpenApiIT")
                .assertServedIsCommitted(http.get("/v3/api-docs").json());
    }

    /**
     * Every request body has an example, and every example is a request the application accepts: each is sent as it
     * is documented (the test kit's client checks the request and the answer against the document too). The
     * catalogue and inventory examples go to a SKU of this test, so the seeded items keep their prices.
     */
    @Test
    void everyRequestBodyExampleIsARequestTheApplicationAccepts() {
        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        Map<String, JsonNode> examples = new TreeMap<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            JsonNode body = operation.getValue().path("requestBody");
            if (!body.isMissingNode()) {
                JsonNode example = body.at("/content/application~1json/example");
                assertThat(example.isObject()).as("the example body of %s %s", operation.getKey(), path.getKey())
                        .isTrue();
                examples.put(operation.getValue().get("operationId").asText(), example);
            }
        }));
        assertThat(examples).containsOnlyKeys("placeOrder", "cancelOrder", "registerCustomer",
                "changeShippingAddress", "changeBillingAddress", "priceItem", "setStock", "rewindProcessor");

        Http.Response registered = http.postJson("/api/customers", examples.get("registerCustomer").toString());
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        String customer = registered.header("Location");
        assertThat(http.put(customer + "/shipping-address", examples.get("changeShippingAddress").toString())
                .status()).isEqualTo(200);
        assertThat(http.put(customer + "/billing-address", examples.get("changeBillingAddress").toString())
                .status()).isEqualTo(200);
        Http.Response placed = http.postJson("/api/orders", examples.get("placeOrder").toString());
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        Http.Response cancelled = http.postJson(placed.header("Location") + "/cancel",
                examples.get("cancelOrder").toString());
        // The saga may have shipped the order already; a 409 then still shows that the body was read as valid.
        assertThat(cancelled.status() == 200 || cancelled.body().contains("/problems/invalid-transition"))
                .as(cancelled.body()).isTrue();
        String sku = "SKU-EXAMPLE-" + Long.toString(System.nanoTime() % 1_000_000, 36).toUpperCase();
        Http.Response priced = http.put("/api/catalogue/" + sku, examples.get("priceItem").toString());
        assertThat(priced.status()).as(priced.body()).isEqualTo(200);
        Http.Response stocked = http.put("/api/inventory/" + sku, examples.get("setStock").toString());
        assertThat(stocked.status()).as(stocked.body()).isEqualTo(200);
        // The order summary handles the store's events again, a redelivery it takes in its stride; or, if a segment
        // has read nothing yet, refuses to move it forward: either way the body was read as valid.
        Http.Response rewound = http.postJson("/api/admin/processors/order-summary/rewind",
                examples.get("rewindProcessor").toString());
        assertThat(rewound.status() == 200 || rewound.body().contains("/problems/rewind-forward"))
                .as(rewound.body()).isTrue();
    }

    @Test
    void everyAnswerCarriesItsTraceIdErrorsIncluded() {
        Http.Response found = http.get("/api/catalogue");
        Http.Response notFound = http.get("/api/orders/" + UUID.randomUUID());
        Http.Response refused = http.post("/api/orders", "text/plain", "hello", "X-Trace-Id", "checkout-trace-42");

        assertThat(found.header("X-Trace-Id")).isNotBlank();
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("X-Trace-Id")).isNotBlank();
        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.header("X-Trace-Id")).isNotBlank().isNotEqualTo("checkout-trace-42");
        assertThat(refused.header("X-Client-Trace-Id")).isEqualTo("checkout-trace-42");
    }

    @Test
    void theSwaggerUiIsServedLocally() {
        Http.Response ui = http.get("/swagger-ui/index.html");

        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui").doesNotContain("petstore");
    }

    /** Keys sorted and indented, so that the committed file changes only where the API does. */
}
