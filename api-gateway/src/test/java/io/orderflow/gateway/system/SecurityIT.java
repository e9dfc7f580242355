package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what, tried on the running application with real tokens of its issuer. The endpoints come from the
 * application's own request mappings: each must have an expected audience here (and a rule in
 * SecurityConfiguration), so an endpoint added without one fails this test by name. Every endpoint refuses a caller
 * without a token (401), a customer outside their audience (403), and a forged, expired, foreign or misdirected token
 * (401); a customer sees another customer's order, profile or list as not found (404); a dashboard change without
 * its CSRF token is refused (403). The figures go to the failure report as scenario S12.
 */
class SecurityIT extends EmbeddedSystemTest {

    /** Who may call an endpoint: any signed-in caller, customers (for what is theirs), services, or operators. */
    /** Who may call an endpoint; {@code CUSTOMER_OR_OPERATOR}: the customer themself or an operator, not the shop. */
    enum Audience { ANY, CUSTOMER, SERVICE, OPERATOR, CUSTOMER_OR_OPERATOR }

    private static final Map<String, Audience> AUDIENCE = Map.ofEntries(
            entry("GET /api/catalogue", Audience.ANY),
            entry("PUT /api/catalogue/{sku}", Audience.OPERATOR),
            entry("GET /api/contracts", Audience.ANY),
            entry("GET /api/contracts/{event}/{revision}", Audience.ANY),
            entry("GET /api/asyncapi", Audience.ANY),
            entry("GET /api/quotes/delivery", Audience.ANY),
            entry("GET /api/inventory/{sku}", Audience.ANY),
            entry("PUT /api/inventory/{sku}", Audience.OPERATOR),
            entry("GET /api/analytics/summary", Audience.OPERATOR),
            entry("POST /api/orders", Audience.CUSTOMER),
            entry("GET /api/orders/{orderId}", Audience.CUSTOMER),
            entry("POST /api/orders/{orderId}/cancel", Audience.CUSTOMER),
            entry("POST /api/customers", Audience.SERVICE),
            entry("GET /api/customers/{customerId}", Audience.CUSTOMER),
            entry("PUT /api/customers/{customerId}/shipping-address", Audience.CUSTOMER),
            entry("PUT /api/customers/{customerId}/billing-address", Audience.CUSTOMER),
            entry("DELETE /api/customers/{customerId}", Audience.CUSTOMER_OR_OPERATOR),
            entry("GET /api/customers/{customerId}/orders", Audience.CUSTOMER),
            entry("GET /api/invoices", Audience.CUSTOMER),
            entry("GET /api/invoices/{number}", Audience.CUSTOMER),
            entry("GET /api/invoices/{number}.pdf", Audience.CUSTOMER),
            entry("GET /api/admin/processors", Audience.OPERATOR),
            entry("GET /api/admin/processors/{name}", Audience.OPERATOR),
            entry("POST /api/admin/processors/{name}/pause", Audience.OPERATOR),
            entry("POST /api/admin/processors/{name}/resume", Audience.OPERATOR),
            entry("POST /api/admin/processors/{name}/replay", Audience.OPERATOR),
            entry("POST /api/admin/processors/{name}/rewind", Audience.OPERATOR),
            entry("POST /api/admin/processors/{name}/segments/{segment}/split", Audience.OPERATOR),
            entry("POST /api/admin/processors/{name}/segments/{segment}/merge", Audience.OPERATOR),
            entry("GET /api/admin/dead-letters", Audience.OPERATOR),
            entry("GET /api/admin/dead-letters/{processor}/{sequenceId}", Audience.OPERATOR),
            entry("POST /api/admin/dead-letters/{processor}/{sequenceId}/retry", Audience.OPERATOR),
            entry("DELETE /api/admin/dead-letters/{processor}/{sequenceId}", Audience.OPERATOR),
            entry("GET /api/admin/events", Audience.OPERATOR),
            entry("GET /api/admin/traces/{traceId}", Audience.OPERATOR),
            entry("GET /api/admin/traces/{traceId}/spans", Audience.OPERATOR),
            entry("GET /api/admin/sagas", Audience.OPERATOR),
            entry("GET /api/admin/notifications", Audience.OPERATOR),
            entry("GET /api/admin/payments", Audience.OPERATOR),
            entry("GET /api/admin/gap-audit", Audience.OPERATOR),
            entry("GET /api/admin/kafka/topics", Audience.OPERATOR),
            entry("GET /api/admin/kafka/streams", Audience.OPERATOR),
            entry("GET /api/admin/kafka/connect", Audience.OPERATOR),
            entry("GET /api/admin/audit", Audience.OPERATOR));

    /** Values for path variables: none names an existing resource, so an allowed call changes nothing. */
    private static final Map<String, String> PATH_VALUES = Map.of("sku", "SKU-SECURITY-PROBE",
            "name", "no-such-processor", "processor", "no-such-processor", "sequenceId", "no-such-sequence",
            "event", "NoSuchEvent", "revision", "1", "traceId", "security-probe-trace",
            "number", "INV-1999-999999");

    private static final Map<String, Map<Integer, Integer>> ANSWERS = new TreeMap<>();
    private static long tried;
    private static long bypasses;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointHasAnAudience_andAnswersEachCallerAsItShould() {
        Http customer = http.as(tokens.asCustomer(UUID.randomUUID()));
        Http shop = http.as(tokens.asShop());
        Http anonymous = http.anonymous();
        List<String> endpoints = endpoints();
        assertThat(endpoints).as("mapped endpoints").hasSizeGreaterThan(25);
        assertThat(new TreeSet<>(AUDIENCE.keySet())).as("audiences of endpoints the application no longer has")
                .isSubsetOf(endpoints);

        for (String endpoint : endpoints) {
            Audience audience = AUDIENCE.get(endpoint);
            assertThat(audience).as("%s has no expected audience: give it a rule in SecurityConfiguration and a "
                    + "line in SecurityIT.AUDIENCE", endpoint).isNotNull();
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = concrete(endpoint.substring(endpoint.indexOf(' ') + 1));

            expect("anonymous", endpoint, call(anonymous, method, path), 401);
            Http.Response asCustomer = call(customer, method, path);
            if (audience == Audience.ANY || audience == Audience.CUSTOMER
                    || audience == Audience.CUSTOMER_OR_OPERATOR) {
                expectAllowed("customer", endpoint, asCustomer);
            } else {
                expect("customer", endpoint, asCustomer, 403);
            }
            Http.Response asShop = call(shop, method, path);
            if (audience == Audience.OPERATOR || audience == Audience.CUSTOMER_OR_OPERATOR) {
                expect("service", endpoint, asShop, 403);
            } else {
                expectAllowed("service", endpoint, asShop);
            }
            expectAllowed("operator", endpoint, call(http, method, path));
        }
    }

    @Test
    void tokensThatAreExpiredForgedForeignOrForAnotherAudienceAre401() throws Exception {
        RSAKey issuerKey = RSAKey.parse(Files.readString(Path.of(System.getProperty("orderflow.home"), "auth",
                "signing-key.json")));
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("someone-else").generate();
        String issuer = tokens.issuer();
        Instant now = Instant.now();

        // The control: the forging below makes a token the application accepts when nothing is wrong with it.
        String valid = sign(issuerKey, issuer, "orderflow-api", now.plusSeconds(300));
        assertThat(get("/api/catalogue", valid).status()).as("a well-formed token of the issuer").isEqualTo(200);

        Map<String, String> refused = Map.of(
                "expired", sign(issuerKey, issuer, "orderflow-api", now.minusSeconds(120)),
                "signed by another key", sign(otherKey, issuer, "orderflow-api", now.plusSeconds(300)),
                "from another issuer", sign(issuerKey, "http://127.0.0.1:1/other-issuer", "orderflow-api",
                        now.plusSeconds(300)),
                "for another audience", sign(issuerKey, issuer, "another-api", now.plusSeconds(300)),
                "not a token", "not-a-jwt");
        refused.forEach((what, token) -> {
            Http.Response response = get("/api/catalogue", token);
            expect("a token " + what, "GET /api/catalogue", response, 401);
            assertThat(response.header("WWW-Authenticate")).as(what).startsWith("Bearer");
        });
    }

    @Test
    void aCustomerSeesOnlyTheirOwnOrdersProfileAndList_andPlacesOrdersOnlyForThemselves() {
        Operations operations = new Operations(http.as(tokens.asShop()));
        UUID ada = operations.registerCustomer("Ada Lovelace", "ada-" + UUID.randomUUID() + "@example.com");
        UUID grace = operations.registerCustomer("Grace Hopper", "grace-" + UUID.randomUUID() + "@example.com");
        Http asAda = http.as(tokens.asCustomer(ada));
        Http asGrace = http.as(tokens.asCustomer(grace));

        // Ada's order, placed with her token and no customerId: it is hers.
        Http.Response placed = asAda.postJson("/api/orders", Orders.withoutCustomer("SKU-1", 1));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String order = placed.json().get("orderId").asText();
        // A call with a token is stateless: no session, no CSRF cookie comes back.
        assertThat(placed.headers().allValues("Set-Cookie")).as("cookies set on a bearer call").isEmpty();
        assertThat(asAda.get("/api/orders/" + order + "?minVersion=0").json().get("customerId").asText())
                .isEqualTo(ada.toString());

        // To Grace, Ada's order, profile and list do not exist; she cannot change or cancel them either.
        String address = "{\"street\": \"s\", \"city\": \"c\", \"postalCode\": \"1\", \"country\": \"DE\"}";
        List<Http.Response> foreign = List.of(
                asGrace.get("/api/orders/" + order),
                asGrace.postJson("/api/orders/" + order + "/cancel", "{\"reason\": \"not mine\"}"),
                asGrace.get("/api/customers/" + ada),
                asGrace.put("/api/customers/" + ada + "/shipping-address", address),
                asGrace.put("/api/customers/" + ada + "/billing-address", address),
                asGrace.get("/api/customers/" + ada + "/orders"));
        foreign.forEach(response -> expect("another customer", "a resource of Ada", response, 404));
        // Grace cannot place an order in Ada's name.
        expect("another customer", "POST /api/orders for Ada",
                asGrace.postJson("/api/orders", Orders.oneBagFor(ada)), 403);

        // Ada sees and cancels her own; the shop and operators act for her.
        assertThat(asAda.get("/api/customers/" + ada + "?minVersion=0").status()).isEqualTo(200);
        assertThat(asAda.get("/api/customers/" + ada + "/orders").status()).isEqualTo(200);
        assertThat(http.as(tokens.asShop()).get("/api/orders/" + order).status()).isEqualTo(200);
        Http.Response cancelled = asAda.postJson("/api/orders/" + order + "/cancel", "{\"reason\": \"mine\"}");
        assertThat(cancelled.status() == 200 || cancelled.body().contains("/problems/invalid-transition"))
                .as(cancelled.body()).isTrue();
    }

    @Test
    void probesAreOpen_andTheActuatorDocumentAndDashboardAreForOperators() {
        Http anonymous = http.anonymous();
        Http customer = http.as(tokens.asCustomer(UUID.randomUUID()));

        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/metrics", "/v3/api-docs")) {
            expect("anonymous", "GET " + path, anonymous.get(path), 401);
            expect("customer", "GET " + path, customer.get(path), 403);
            expectAllowed("operator", "GET " + path, http.get(path));
        }
        expect("customer", "GET /dashboard/", customer.get("/dashboard/"), 403);
        Http.Response browser = anonymous.get("/dashboard/");
        assertThat(browser.status()).as("a browser without a session is sent to sign in").isEqualTo(302);
        assertThat(browser.header("Location")).endsWith("/oauth2/authorization/orderflow");
    }

    /**
     * The dashboard's way in: an operator signs in with the browser flow (authorization code with PKCE, at the
     * issuer's form), and the session then acts only with the CSRF token the application gave it.
     */
    @Test
    void anOperatorSignsInToTheDashboard_andAChangeWithoutItsCsrfTokenIs403() throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.ALWAYS).connectTimeout(Duration.ofSeconds(5)).build();
        String app = http.baseUrl();

        HttpResponse<String> signInPage = browser.send(HttpRequest.newBuilder(URI.create(app + "/dashboard/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signInPage.uri().toString()).as("sent to the issuer's sign-in").startsWith(tokens.issuer());
        assertThat(signInPage.uri().toString()).endsWith("/login");
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(signInPage.body());
        assertThat(csrf.find()).as("the sign-in form's CSRF field").isTrue();
        Properties endpoints = new Properties();
        try (var in = Files.newInputStream(Path.of(System.getProperty("orderflow.home"), "endpoints.properties"))) {
            endpoints.load(in);
        }
        String form = "username=" + enc(endpoints.getProperty("auth.dashboard.user")) + "&password="
                + enc(endpoints.getProperty("auth.dashboard.password")) + "&_csrf=" + enc(csrf.group(1));
        HttpResponse<String> dashboard = browser.send(HttpRequest.newBuilder(signInPage.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.uri().toString()).as("back at the dashboard").startsWith(app + "/dashboard/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("orderflow dashboard");

        HttpResponse<String> read = browser.send(HttpRequest.newBuilder(URI.create(app + "/api/admin/processors"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as("a read with the session").isEqualTo(200);
        String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        URI pause = URI.create(app + "/api/admin/processors/no-such-processor/pause");
        HttpResponse<String> withoutToken = browser.send(HttpRequest.newBuilder(pause)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(pause).header("X-XSRF-TOKEN", xsrf)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        // An Authorization header makes a call a token's call: the session beside it is not used, so a header that
        // is not a valid token cannot borrow the session (and skip its CSRF check).
        HttpResponse<String> withForeignHeader = browser.send(HttpRequest.newBuilder(pause)
                .header("Authorization", "Basic b3BlcmF0b3I6b3BlcmF0b3I=")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        count("dashboard session without CSRF token", withoutToken.statusCode(), 403);
        count("dashboard session beside a header that is not a token", withForeignHeader.statusCode(), 401);
        assertThat(withForeignHeader.statusCode()).as("a session beside a header that is not a token").isEqualTo(401);
        assertThat(withoutToken.statusCode()).as("a change without the CSRF token").isEqualTo(403);
        assertThat(withToken.statusCode()).as("with it, the request reaches the API (an unknown processor)")
                .isEqualTo(404);
    }

    @AfterAll
    static void report() {
        ScenarioReport.record(new ScenarioReport.Row("S12", "authentication and authorization",
                "every mapped endpoint called anonymously, as a customer, a service and an operator; expired, "
                        + "forged, foreign and misdirected tokens; a customer on another's order, profile and list; "
                        + "a dashboard change without its CSRF token", tried, 0, 0, "-", bypasses == 0,
                tried + " refusals expected, answers by kind of caller and status " + ANSWERS + "; bypasses "
                        + bypasses));
    }

    private List<String> endpoints() {
        List<String> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
            String handler = mapping.getValue().getBeanType().getName();
            if (!handler.startsWith("io.orderflow.")) {
                continue; // springdoc's document and UI, Spring's /error: tried by name in another test
            }
            for (String pattern : mapping.getKey().getPathPatternsCondition().getPatternValues()) {
                for (RequestMethod method : mapping.getKey().getMethodsCondition().getMethods()) {
                    endpoints.add(method.name() + " " + pattern);
                }
            }
        }
        endpoints.sort(null);
        return endpoints;
    }

    private static String concrete(String pattern) {
        Matcher variables = Pattern.compile("\\{([^}]+)}").matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (variables.find()) {
            variables.appendReplacement(path, PATH_VALUES.getOrDefault(variables.group(1),
                    UUID.randomUUID().toString()));
        }
        variables.appendTail(path);
        return path.toString();
    }

    private static Http.Response call(Http client, String method, String path) {
        return switch (method) {
            case "GET" -> client.get(path);
            case "POST" -> client.postJson(path, "{}");
            case "PUT" -> client.put(path, "{}");
            case "DELETE" -> client.delete(path);
            default -> throw new IllegalArgumentException(method);
        };
    }

    private Http.Response get(String path, String token) {
        return http.get(path, "Authorization", "Bearer " + token);
    }

    private static void expect(String caller, String endpoint, Http.Response response, int status) {
        count(caller, response.status(), status);
        assertThat(response.status()).as("%s on %s: %s", caller, endpoint, response.body()).isEqualTo(status);
        if (status == 401 || status == 403 || status == 404) {
            assertThat(response.contentType()).as("%s on %s", caller, endpoint)
                    .startsWith("application/problem+json");
        }
    }

    private static void expectAllowed(String caller, String endpoint, Http.Response response) {
        count(caller + " (allowed)", response.status(), -1);
        assertThat(response.status()).as("%s on %s is let through: %s", caller, endpoint, response.body())
                .isNotIn(401, 403);
        assertThat(response.status()).as("%s on %s", caller, endpoint).isLessThan(500);
    }

    private static synchronized void count(String caller, int status, int expected) {
        ANSWERS.computeIfAbsent(caller, c -> new TreeMap<>()).merge(status, 1, Integer::sum);
        if (expected > 0) {
            tried++;
            if (status != expected && status < 400) {
                bypasses++;
            }
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String sign(RSAKey key, String issuer, String audience, Instant expires) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience)
                    .subject("orderflow-operator").issueTime(Date.from(expires.minusSeconds(600)))
                    .expirationTime(Date.from(expires)).claim("roles", List.of("OPERATOR")).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
