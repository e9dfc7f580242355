package io.orderflow.gateway.testkit.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Tokens of the development issuer for the tests, got as a script gets them: the client-credentials grant at the
 * token endpoint that {@code endpoints.properties} names, with the clients it lists. Each token is kept until a
 * minute before it expires.
 */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Tokens> BY_HOME = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Properties endpoints;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(String token, Instant renewAt) {
    }

    private Tokens(Properties endpoints) {
        this.endpoints = endpoints;
    }

    /** The tokens of the issuer described by {@code <home>/endpoints.properties}. */
    public static Tokens of(Path home) {
        return BY_HOME.computeIfAbsent(home.toAbsolutePath().normalize(), Tokens::load);
    }

    /** The tokens of an issuer described by properties in the form of {@code endpoints.properties}. */
    public static Tokens of(Properties endpoints) {
        return new Tokens(endpoints);
    }

    /** The tokens of an embedded issuer that a test runs itself, beside an application it starts. */
    public static Tokens of(io.orderflow.infra.auth.EmbeddedIssuer issuer) {
        Properties properties = new Properties();
        properties.setProperty("auth.issuer", issuer.issuerUrl());
        properties.setProperty("auth.token-endpoint", issuer.tokenEndpoint());
        for (String[] client : new String[][] {{"operator", io.orderflow.infra.auth.EmbeddedIssuer.OPERATOR_CLIENT},
                {"shop", io.orderflow.infra.auth.EmbeddedIssuer.SHOP_CLIENT},
                {"dev-customers", io.orderflow.infra.auth.EmbeddedIssuer.DEV_CUSTOMERS_CLIENT}}) {
            properties.setProperty("auth." + client[0] + ".client-id", client[1]);
            properties.setProperty("auth." + client[0] + ".client-secret", issuer.secrets().secretOf(client[1]));
        }
        return new Tokens(properties);
    }

    private static Tokens load(Path home) {
        Path file = home.resolve("endpoints.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("no endpoints of a running orderflow in " + file, e);
        }
        if (properties.getProperty("auth.token-endpoint") == null) {
            throw new IllegalStateException(file + " names no issuer");
        }
        return new Tokens(properties);
    }

    /** An operator's token (client {@code orderflow-operator}). */
    public String operator() {
        return token("operator", "");
    }

    /** The shop's token, a service acting for customers (client {@code orderflow-shop}). */
    public String shop() {
        return token("shop", "");
    }

    /** A token of the customer {@code customerId} (the development issuer's customer client). */
    public String customer(UUID customerId) {
        return token("dev-customers", "&customer_id=" + URLEncoder.encode(customerId.toString(),
                StandardCharsets.UTF_8));
    }

    /** A metrics scraper's token (client {@code orderflow-metrics}): {@code /actuator/prometheus} only. */
    public String metrics() {
        return token("metrics", "");
    }

    /** A client's setting as {@code endpoints.properties} lists it, e.g. {@code auth.metrics.client-secret}. */
    public String endpoint(String key) {
        return endpoints.getProperty(key);
    }

    public Supplier<String> asMetrics() {
        return this::metrics;
    }

    public Supplier<String> asOperator() {
        return this::operator;
    }

    public Supplier<String> asShop() {
        return this::shop;
    }

    public Supplier<String> asCustomer(UUID customerId) {
        return () -> customer(customerId);
    }

    public String issuer() {
        return endpoints.getProperty("auth.issuer");
    }

    private String token(String client, String parameters) {
        String key = client + parameters;
        Cached cached = cache.get(key);
        if (cached != null && Instant.now().isBefore(cached.renewAt())) {
            return cached.token();
        }
        String clientId = endpoints.getProperty("auth." + client + ".client-id");
        String secret = endpoints.getProperty("auth." + client + ".client-secret");
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(endpoints.getProperty("auth.token-endpoint")))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials" + parameters))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the issuer refused a token for " + clientId + ": "
                        + response.statusCode() + " " + response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            String token = body.get("access_token").asText();
            long lifetime = body.path("expires_in").asLong(300);
            cache.put(key, new Cached(token, Instant.now().plusSeconds(Math.max(0, lifetime - 60))));
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
