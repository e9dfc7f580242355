package io.orderflow.infra.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded issuer: standard grants, the claims orderflow reads, and secrets kept owner-only across restarts. */
class EmbeddedIssuerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Test
    void clientCredentialsGiveOperatorShopAndCustomerTokensForTheApi() throws Exception {
        try (EmbeddedIssuer issuer = new EmbeddedIssuer(home, 0).start()) {
            JsonNode discovery = JSON.readTree(get(issuer.issuerUrl() + "/.well-known/openid-configuration").body());
            assertThat(discovery.get("issuer").asText()).isEqualTo(issuer.issuerUrl());
            assertThat(discovery.get("token_endpoint").asText()).isEqualTo(issuer.tokenEndpoint());

            JsonNode operator = claims(token(issuer, EmbeddedIssuer.OPERATOR_CLIENT, ""));
            assertThat(operator.get("iss").asText()).isEqualTo(issuer.issuerUrl());
            assertThat(operator.get("aud").toString()).contains(EmbeddedIssuer.AUDIENCE);
            assertThat(operator.get("roles").toString()).isEqualTo("[\"OPERATOR\"]");
            assertThat(claims(token(issuer, EmbeddedIssuer.SHOP_CLIENT, "")).get("roles").toString())
                    .isEqualTo("[\"SERVICE\"]");
            assertThat(claims(token(issuer, EmbeddedIssuer.METRICS_CLIENT, "")).get("roles").toString())
                    .isEqualTo("[\"METRICS\"]");

            String customer = UUID.randomUUID().toString();
            JsonNode customerToken = claims(token(issuer, EmbeddedIssuer.DEV_CUSTOMERS_CLIENT,
                    "&customer_id=" + customer));
            assertThat(customerToken.get("roles").toString()).isEqualTo("[\"CUSTOMER\"]");
            assertThat(customerToken.get("customer_id").asText()).isEqualTo(customer);
            assertThat(customerToken.get("sub").asText()).isEqualTo(customer);
        }
    }

    @Test
    void aCustomerTokenNeedsACustomerId_andAWrongSecretGetsNoToken() throws Exception {
        try (EmbeddedIssuer issuer = new EmbeddedIssuer(home, 0).start()) {
            HttpResponse<String> noCustomer = tokenResponse(issuer, EmbeddedIssuer.DEV_CUSTOMERS_CLIENT,
                    issuer.secrets().secretOf(EmbeddedIssuer.DEV_CUSTOMERS_CLIENT), "&customer_id=42");
            HttpResponse<String> wrongSecret = tokenResponse(issuer, EmbeddedIssuer.OPERATOR_CLIENT, "guess", "");

            assertThat(noCustomer.statusCode()).isEqualTo(400);
            assertThat(noCustomer.body()).contains("invalid_request");
            assertThat(wrongSecret.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theSigningKeyAndSecretsSurviveARestart_andOnlyTheOwnerCanReadThem() throws Exception {
        String firstToken;
        String secret;
        try (EmbeddedIssuer issuer = new EmbeddedIssuer(home, 0).start()) {
            firstToken = token(issuer, EmbeddedIssuer.OPERATOR_CLIENT, "");
            secret = issuer.secrets().secretOf(EmbeddedIssuer.OPERATOR_CLIENT);
        }
        try (EmbeddedIssuer again = new EmbeddedIssuer(home, 0).start()) {
            assertThat(again.secrets().secretOf(EmbeddedIssuer.OPERATOR_CLIENT)).isEqualTo(secret);
            assertThat(again.issuerUrl()).as("the same address, which every token names").isEqualTo(
                    claims(firstToken).get("iss").asText());
            JsonNode keys = JSON.readTree(get(again.issuerUrl() + "/oauth2/jwks").body());
            assertThat(keys.get("keys").get(0).get("kid").asText()).isEqualTo(header(firstToken).get("kid").asText());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("signing-key.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("secrets.properties"))))
                .isEqualTo("rw-------");
    }

    private String token(EmbeddedIssuer issuer, String client, String extra) throws Exception {
        HttpResponse<String> response = tokenResponse(issuer, client, issuer.secrets().secretOf(client), extra);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private HttpResponse<String> tokenResponse(EmbeddedIssuer issuer, String client, String secret, String extra)
            throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials" + extra)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static JsonNode header(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }
}
