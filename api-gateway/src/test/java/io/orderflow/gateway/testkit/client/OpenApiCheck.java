package io.orderflow.gateway.testkit.client;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks each request and answer of the tests against the OpenAPI document the application serves, with Atlassian's
 * swagger-request-validator: an answer must be one the document describes (status, content type, body schema),
 * and a request that the application accepted (2xx) must be one the document allows. Requests that tests send to
 * be refused are not held to the document; their answers are.
 *
 * <p>A violation fails the test at once, naming the operation and the difference. {@code
 * -Dopenapi.validation=collect} writes the violations to {@code target/openapi-violations.txt} instead (to survey
 * a larger change of the document), {@code off} skips the check.
 */
public final class OpenApiCheck {

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    /** Per server, how to get an operator's token: the document is served to operators only. */
    private static final Map<String, java.util.function.Supplier<String>> DOCUMENT_READERS = new ConcurrentHashMap<>();
    private static final String MODE = System.getProperty("openapi.validation", "fail");
    private static final List<String> UNDOCUMENTED = List.of("/actuator", "/v3/api-docs", "/swagger-ui",
            "/dashboard", "/webjars", "/favicon");

    private OpenApiCheck() {
    }

    static void check(String baseUrl, java.util.function.Supplier<String> token, String method, String pathAndQuery, String requestContentType,
                      String requestBody, HttpHeaders requestHeaders, int status, String contentType, String body,
                      HttpHeaders responseHeaders) {
        if ("off".equals(MODE)) {
            return;
        }
        URI uri = URI.create(pathAndQuery);
        String path = uri.getRawPath();
        if (path.equals("/") || UNDOCUMENTED.stream().anyMatch(path::startsWith) || !path.startsWith("/api/")) {
            return;
        }
        if (status == 401 || status == 403) {
            // Refused before any operation ran: the security rules answer these, the same for every operation.
            return;
        }
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(baseUrl, url -> load(url, token));
        Request.Method verb = Request.Method.valueOf(method);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (!contentType.isEmpty()) {
            response.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        responseHeaders.map().forEach((name, values) -> response.withHeader(name, values));
        ValidationReport report;
        if (status >= 200 && status < 300) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(verb, path);
            if (requestContentType != null) {
                request.withContentType(requestContentType);
            }
            if (requestBody != null && !requestBody.isEmpty()) {
                request.withBody(requestBody);
            }
            requestHeaders.map().forEach((name, values) -> request.withHeader(name, values));
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] parts = pair.split("=", 2);
                    request.withQueryParam(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
                }
            }
            report = validator.validate(request.build(), response.build());
        } else {
            report = validator.validateResponse(path, verb, response.build());
        }
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR).toList();
        if (errors.isEmpty()) {
            return;
        }
        String found = method + " " + path + " answered " + status + ": " + errors.stream()
                .map(message -> message.getKey() + ": " + message.getMessage())
                .collect(Collectors.joining("; "));
        if ("collect".equals(MODE)) {
            try {
                Files.writeString(Path.of("target", "openapi-violations.txt"), found + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        throw new AssertionError("the answer is not what the OpenAPI document describes: " + found);
    }

    /** Tells the check how to read the document of the server at {@code baseUrl}: with an operator's token. */
    public static void readDocumentAs(String baseUrl, java.util.function.Supplier<String> operatorToken) {
        DOCUMENT_READERS.put(baseUrl, operatorToken);
    }

    private static OpenApiInteractionValidator load(String baseUrl, java.util.function.Supplier<String> callerToken) {
        java.util.function.Supplier<String> token = DOCUMENT_READERS.getOrDefault(baseUrl, callerToken);
        if (token == null) {
            throw new IllegalStateException("the OpenAPI document is for operators: check answers with a client "
                    + "that has a token, or -Dopenapi.validation=off");
        }
        try {
            HttpResponse<String> document = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/v3/api-docs")).header("Authorization", "Bearer " + token.get())
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                throw new IllegalStateException("the OpenAPI document could not be read: " + document.statusCode()
                        + " " + document.body());
            }
            return OpenApiInteractionValidator.createForInlineApiSpecification(document.body()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
