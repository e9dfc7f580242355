package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/quotes/delivery}: a synchronous price from shipping's tariff, storing nothing. */
class DeliveryQuoteIT extends EmbeddedSystemTest {

    @Test
    void quotesByZoneAndItemCount_andStoresNothing() {
        long before = storedEvents();

        assertThat(quote("DE", "1")).isEqualTo("200 4.90 EUR");
        assertThat(quote("FR", "3")).isEqualTo("200 11.90 EUR");
        assertThat(quote("US", "2")).isEqualTo("200 21.90 EUR");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void aCountryNoCarrierServesIs422() {
        Http.Response response = http.get("/api/quotes/delivery?country=AQ&items=1");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("/problems/unserved-destination");
    }

    @Test
    void badParametersAre400NamingTheField() {
        assertThat(field("/api/quotes/delivery?country=XX&items=1")).isEqualTo("country");
        assertThat(field("/api/quotes/delivery?country=de&items=1")).isEqualTo("country");
        assertThat(field("/api/quotes/delivery?country=DE&items=0")).isEqualTo("items");
        assertThat(field("/api/quotes/delivery?country=DE&items=ten")).isEqualTo("items");
        assertThat(field("/api/quotes/delivery?country=DE&items=10001")).isEqualTo("items");
        assertThat(field("/api/quotes/delivery?country=DE")).isEqualTo("items");
        assertThat(field("/api/quotes/delivery?items=2")).isEqualTo("country");
    }

    private String quote(String country, String items) {
        Http.Response response = http.get("/api/quotes/delivery?country=" + country + "&items=" + items);
        return response.status() + " " + response.json().get("amount").asText() + " "
                + response.json().get("currency").asText();
    }

    private String field(String path) {
        Http.Response response = http.get(path);
        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("errors").get(0).get("field").asText();
    }
}
