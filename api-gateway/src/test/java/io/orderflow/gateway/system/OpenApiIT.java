package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API documents itself: an OpenAPI document and a Swagger UI served by the application, nothing from outside.
 */
class OpenApiIT extends EmbeddedSystemTest {

    @Test
    void theOpenApiDocumentListsTheOrderAndCatalogueEndpoints() {
        Http.Response document = http.get("/v3/api-docs");

        assertThat(document.status()).isEqualTo(200);
        JsonNode paths = document.json().get("paths");
        assertThat(paths.has("/api/orders")).isTrue();
        assertThat(paths.has("/api/orders/{orderId}")).isTrue();
        assertThat(paths.has("/api/orders/{orderId}/cancel")).isTrue();
        assertThat(paths.has("/api/catalogue")).isTrue();
    }

    @Test
    void theSwaggerUiIsServedLocally() {
        Http.Response ui = http.get("/swagger-ui/index.html");

        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui").doesNotContain("petstore");
    }
}
