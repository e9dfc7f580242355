package io.orderflow.gateway.testkit.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A plain HTTP client for tests that must send exactly the bytes a client would, malformed ones included. Each
 * request carries the bearer token of the identity it was made with ({@link #as}), unless it sends an
 * {@code Authorization} header of its own; {@link #anonymous()} sends none.
 */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Supplier<String> token;

    /** A client without a token: every API call is answered 401. */
    public Http(String baseUrl) {
        this(baseUrl, null);
    }

    public Http(String baseUrl, Supplier<String> token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The same server, called with the token {@code token} gives. */
    public Http as(Supplier<String> token) {
        return new Http(baseUrl, token);
    }

    /** The same server, called without a token. */
    public Http anonymous() {
        return new Http(baseUrl, null);
    }

    /** The token this client sends, or null. */
    public String token() {
        return token == null ? null : token.get();
    }

    /** A response with its body, parsed as JSON when it is JSON. */
    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(authorized(request, headers), body, contentType);
    }

    public Response postJson(String path, String body, String... headers) {
        return post(path, "application/json", body, headers);
    }

    public Response put(String path, String jsonBody) {
        return send(authorized(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8))), jsonBody,
                "application/json");
    }

    public Response get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(authorized(request, headers), null, null);
    }

    public Response delete(String path) {
        return send(authorized(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .DELETE()), null, null);
    }

    private HttpRequest authorized(HttpRequest.Builder request, String... headers) {
        boolean ownAuthorization = false;
        for (int i = 0; i < headers.length; i += 2) {
            ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
        }
        String bearer = token();
        if (bearer != null && !ownAuthorization) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request.build();
    }

    private Response send(HttpRequest request, String body, String contentType) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            Response answer = new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body(), response.headers());
            OpenApiCheck.check(baseUrl, token, request.method(), request.uri().getRawPath()
                            + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()),
                    contentType, body, request.headers(), answer.status(), answer.contentType(), answer.body(),
                    answer.headers());
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
