package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API documents itself: an OpenAPI document and a Swagger UI served by the application, nothing from outside;
 * the document is committed as {@code docs/openapi.json}, so that a change of the API shows as a diff.
 */
class OpenApiIT extends EmbeddedSystemTest {

    /** The committed document, from the api-gateway module where the tests run. */
    private static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
    /** {@code -Dopenapi.write=true} writes the served document over the committed one. */
    private static final boolean WRITE = Boolean.getBoolean("openapi.write");

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
        String served = canonical(http.get("/v3/api-docs").json());
        Path written = Path.of("target", "openapi.json");
        Files.writeString(written, served, StandardCharsets.UTF_8);
        if (WRITE) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";

        assertThat(served).as("the served OpenAPI document differs from docs/openapi.json. If the API change is "
                + "intended, commit the served one (written to api-gateway/%s), or run: ./mvnw verify -pl "
                + "api-gateway -am -Dit.test=OpenApiIT -Dopenapi.write=true", written).isEqualTo(committed);
    }

    @Test
    void theSwaggerUiIsServedLocally() {
        Http.Response ui = http.get("/swagger-ui/index.html");

        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui").doesNotContain("petstore");
    }

    /** Keys sorted and indented, so that the committed file changes only where the API does. */
    private static String canonical(JsonNode document) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        Object tree = mapper.treeToValue(document, Object.class);
        return mapper.writeValueAsString(tree) + "\n";
    }
}
