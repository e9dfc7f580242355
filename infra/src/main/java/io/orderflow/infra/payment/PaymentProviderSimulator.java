package io.orderflow.infra.payment;

import io.orderflow.infra.payment.LedgerEntry.Status;
import io.orderflow.infra.support.LocalPorts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the external payment provider: an HTTP server on 127.0.0.1 whose ledger lives in
 * PostgreSQL, in a table it creates itself.
 *
 * <p>It behaves like a provider that honours idempotency keys: the same key always yields the entry recorded
 * first, and charges once, however many requests race. It declines amounts of {@value #DECLINE_FROM} or more. A
 * void of a key it has never seen leaves a VOIDED tombstone, so that an authorization still in flight with that
 * key can never charge. Endpoints:
 * <ul>
 *   <li>{@code POST /v1/authorizations} with the header {@code Idempotency-Key} and the body
 *       {@code {orderId, amount, currency}};</li>
 *   <li>{@code GET /v1/authorizations/{key}} (404 if unknown), {@code POST /v1/authorizations/{key}/void};</li>
 *   <li>{@code GET /v1/ledger?orderId=&limit=} (the latest entries, at most 1000, oldest first);</li>
 *   <li>{@code GET/PUT/DELETE /simulator/faults}: see {@link SimulatorFaults}, also at {@link #faults()}.</li>
 * </ul>
 * Idempotency keys are 1 to 200 characters out of letters, digits and {@code . _ : -}, so they fit a URL path as
 * they are. A 503 always means the request was not processed.
 */
public final class PaymentProviderSimulator implements AutoCloseable {

    /** Amounts from this one up are declined. */
    public static final String DECLINE_FROM = "10000.00";

    private static final Logger log = LoggerFactory.getLogger(PaymentProviderSimulator.class);

    private static final BigDecimal DECLINE_THRESHOLD = new BigDecimal(DECLINE_FROM);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern KEY_PATH = Pattern.compile("/v1/authorizations/([^/]+)(/void)?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_ORDER_ID_LENGTH = 200;
    private static final int MAX_LEDGER_ENTRIES = 1000;
    // A provider serves many callers at once: injected latency must slow each call, not queue them behind 16.
    private static final int THREADS = 256;

    private final PaymentLedger ledger;
    private final SimulatorFaults faults = new SimulatorFaults();
    private final ObjectMapper json = new ObjectMapper();

    private HttpServer server;
    private ExecutorService executor;

    /** A simulator keeping its ledger in {@code dataSource}; nothing happens until {@link #start(int)}. */
    public PaymentProviderSimulator(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** As {@link #PaymentProviderSimulator(DataSource)}, with the clock that stamps ledger entries. */
    public PaymentProviderSimulator(DataSource dataSource, Clock clock) {
        this.ledger = new PaymentLedger(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Creates the ledger table if it is missing and starts serving on 127.0.0.1:{@code port} (0 for a free port).
     * Does nothing if already running.
     */
    public synchronized PaymentProviderSimulator start(int port) {
        if (server != null) {
            return this;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (free) or a TCP port, was " + port);
        }
        try {
            ledger.createTableIfMissing();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the payment simulator's ledger table", e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "payment-simulator-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // Idle threads go away, so a simulator nobody calls costs nothing.
        pool.allowCoreThreadTimeOut(true);
        try {
            HttpServer created = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(LocalPorts.LOOPBACK), port), 0);
            created.createContext("/", this::handle);
            created.setExecutor(pool);
            created.start();
            server = created;
            executor = pool;
        } catch (IOException e) {
            pool.shutdownNow();
            throw new UncheckedIOException("Could not start the payment simulator on port " + port, e);
        }
        log.info("Payment provider simulator listening at {}", baseUrl());
        return this;
    }

    /** Stops serving; requests in progress, including those sleeping for injected latency, are abandoned. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
        log.info("Payment provider simulator stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** The port served on; only while running. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The payment simulator is not running");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}; only while running. */
    public String baseUrl() {
        return "http://" + LocalPorts.LOOPBACK + ":" + port();
    }

    /** Whether {@link #start(int)} has run and {@link #stop()} has not. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The fault injection controls, shared with {@code /simulator/faults}. */
    public SimulatorFaults faults() {
        return faults;
    }

    /** The ledger, or the entries of one order if {@code orderId} is not null, oldest first. */
    public List<LedgerEntry> ledger(String orderId) {
        try {
            return ledger.list(orderId, Integer.MAX_VALUE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the payment simulator's ledger", e);
        }
    }

    /** The entry of one key. */
    public Optional<LedgerEntry> entry(String idempotencyKey) {
        try {
            return ledger.find(idempotencyKey);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the payment simulator's ledger", e);
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                route(exchange);
            } catch (Problem problem) {
                trySend(exchange, problem);
            } catch (InterruptedException e) {
                // Stopping: the exchange closes without an answer, like a provider going down mid-request.
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                log.debug("Payment simulator: {} {} failed: {}", exchange.getRequestMethod(),
                        exchange.getRequestURI(), e.toString());
            } catch (RuntimeException | SQLException e) {
                log.error("Payment simulator: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(),
                        e);
                trySend(exchange, new Problem(500, "internal-error", "Internal error", e.toString()));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, SQLException, InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/v1/authorizations")) {
            requireMethod(method, "POST");
            authorize(exchange);
            return;
        }
        Matcher keyPath = KEY_PATH.matcher(path);
        if (keyPath.matches()) {
            String key = validKey(keyPath.group(1));
            if (keyPath.group(2) != null) {
                requireMethod(method, "POST");
                voidAuthorization(exchange, key);
            } else {
                requireMethod(method, "GET");
                status(exchange, key);
            }
            return;
        }
        switch (path) {
            case "/v1/ledger" -> {
                requireMethod(method, "GET");
                String orderId = queryParameter(exchange, "orderId");
                sendJson(exchange, 200, json.valueToTree(ledger.list(orderId, ledgerLimit(exchange)).stream()
                        .map(this::toJson).toList()));
            }
            case "/simulator/faults" -> faults(exchange, method);
            default -> throw new Problem(404, "not-found", "Not found", "No resource at " + path);
        }
    }

    /** The {@code limit} of a ledger listing: the latest entries, at most {@value #MAX_LEDGER_ENTRIES}. */
    private static int ledgerLimit(HttpExchange exchange) {
        String limit = queryParameter(exchange, "limit");
        if (limit == null) {
            return MAX_LEDGER_ENTRIES;
        }
        try {
            int parsed = Integer.parseInt(limit);
            if (parsed >= 1 && parsed <= MAX_LEDGER_ENTRIES) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new Problem(400, "invalid-limit", "Invalid limit", "limit must be from 1 to " + MAX_LEDGER_ENTRIES);
    }

    private void authorize(HttpExchange exchange) throws IOException, SQLException, InterruptedException {
        // Before validation and before the fault counters, so that a slow provider is slow for every request.
        long latency = faults.latencyMillis();
        if (latency > 0) {
            Thread.sleep(latency);
        }
        refuseIfFailing("authorization");
        if (faults.consumeRejection()) {
            log.info("Payment simulator: rejecting an authorization with 422 (fault injected)");
            throw new Problem(422, "rejected", "Request rejected", "Injected rejection; nothing was charged");
        }
        String key = validKey(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
        JsonNode body = readBody(exchange);
        String orderId = requiredText(body, "orderId");
        if (orderId.length() > MAX_ORDER_ID_LENGTH) {
            throw Problem.invalid("orderId", "must have at most " + MAX_ORDER_ID_LENGTH + " characters");
        }
        String currency = currency(body);
        BigDecimal amount = amount(body, currency);

        Status decision = amount.compareTo(DECLINE_THRESHOLD) >= 0 ? Status.DECLINED : Status.AUTHORIZED;
        LedgerEntry entry = ledger.recordIfAbsent(key, orderId, amount, currency, decision);
        if (!sameRequest(entry, orderId, amount, currency)) {
            throw new Problem(422, "idempotency-key-reused", "Idempotency key reused",
                    "Key " + key + " was used for order " + entry.orderId() + ", " + entry.amount() + " "
                            + entry.currency() + "; this request is for order " + orderId + ", " + amount + " "
                            + currency);
        }
        log.debug("Payment simulator: authorization {} for order {} ({} {}) -> {}", key, orderId,
                amount.toPlainString(), currency, entry.status());
        if (faults.consumeDroppedResponse()) {
            log.info("Payment simulator: dropping the response to authorization {} (fault injected)", key);
            return;
        }
        sendJson(exchange, 200, toJson(entry));
    }

    private static boolean sameRequest(LedgerEntry entry, String orderId, BigDecimal amount, String currency) {
        if (entry.isTombstone()) {
            // A void may name no order; one that does must name this one.
            return entry.orderId() == null || entry.orderId().equals(orderId);
        }
        return entry.orderId().equals(orderId) && entry.amount().compareTo(amount) == 0
                && entry.currency().equals(currency);
    }

    private void voidAuthorization(HttpExchange exchange, String key) throws IOException, SQLException {
        refuseIfFailing("void");
        JsonNode body = readOptionalBody(exchange);
        String orderId = null;
        if (body != null && body.hasNonNull("orderId")) {
            orderId = requiredText(body, "orderId");
        }
        LedgerEntry entry = ledger.voidOrFence(key, orderId);
        log.info("Payment simulator: void {} -> {}{}", key, entry.status(), entry.isTombstone() ? " (tombstone)" : "");
        sendJson(exchange, 200, toJson(entry));
    }

    private void status(HttpExchange exchange, String key) throws IOException, SQLException {
        refuseIfFailing("status");
        Optional<LedgerEntry> entry = ledger.find(key);
        if (entry.isEmpty()) {
            throw new Problem(404, "unknown-key", "Unknown idempotency key", "No authorization with key " + key);
        }
        sendJson(exchange, 200, toJson(entry.get()));
    }

    private void faults(HttpExchange exchange, String method) throws IOException {
        switch (method) {
            case "GET" -> { }
            case "DELETE" -> faults.reset();
            case "PUT" -> {
                JsonNode body = readBody(exchange);
                faults.set(new SimulatorFaults.Snapshot(nonNegative(body, "latencyMs"),
                        Math.toIntExact(nonNegative(body, "failNext")),
                        Math.toIntExact(nonNegative(body, "dropResponseAfterChargeNext")),
                        Math.toIntExact(nonNegative(body, "rejectNext"))));
                log.info("Payment simulator: faults set to {}", faults.snapshot());
            }
            default -> throw methodNotAllowed(method);
        }
        sendJson(exchange, 200, json.valueToTree(faults.snapshot()));
    }

    private void refuseIfFailing(String what) {
        if (faults.consumeFailure()) {
            log.info("Payment simulator: refusing a {} request with 503 (fault injected)", what);
            throw new Problem(503, "unavailable", "Service unavailable",
                    "Injected failure; the request was not processed");
        }
    }

    private ObjectNode toJson(LedgerEntry entry) {
        ObjectNode node = json.createObjectNode();
        node.put("idempotencyKey", entry.idempotencyKey());
        node.put("orderId", entry.orderId());
        node.put("amount", entry.amount() == null ? null : entry.amount().toPlainString());
        node.put("currency", entry.currency());
        node.put("status", entry.status().name());
        node.put("at", entry.at().toString());
        return node;
    }

    private static String validKey(String key) {
        if (key == null || key.isBlank()) {
            throw Problem.invalid("Idempotency-Key", "is required");
        }
        if (!KEY.matcher(key).matches()) {
            throw Problem.invalid("Idempotency-Key", "must be 1 to 200 letters, digits or . _ : -");
        }
        return key;
    }

    private static String currency(JsonNode body) {
        String currency = requiredText(body, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw Problem.invalid("currency", "must be an ISO-4217 code");
        }
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("currency", "is not an ISO-4217 code");
        }
        return currency;
    }

    private static BigDecimal amount(JsonNode body, String currency) {
        String text = requiredText(body, "amount");
        BigDecimal amount;
        try {
            amount = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw Problem.invalid("amount", "must be a decimal number such as \"19.99\"");
        }
        if (amount.signum() <= 0) {
            throw Problem.invalid("amount", "must be positive");
        }
        int minorDigits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        if (amount.scale() > minorDigits || amount.precision() - amount.scale() > 15) {
            throw Problem.invalid("amount", "must have at most 15 integer and " + minorDigits + " fraction digits");
        }
        return amount;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw Problem.invalid(field, "is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw Problem.invalid(field, "must be a non-blank string");
        }
        return value.asText();
    }

    private static long nonNegative(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToInt() || value.asInt() < 0) {
            throw Problem.invalid(field, "must be a non-negative integer");
        }
        return value.asInt();
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        JsonNode body = readOptionalBody(exchange);
        if (body == null) {
            throw new Problem(400, "invalid-request", "Invalid request", "A JSON object body is required");
        }
        return body;
    }

    /** The body as a JSON object, or null if there is none. */
    private JsonNode readOptionalBody(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new Problem(413, "too-large", "Body too large", "At most " + MAX_BODY_BYTES + " bytes");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Problem(400, "invalid-request", "Invalid request", "The body is not JSON");
        }
        if (!body.isObject()) {
            throw new Problem(400, "invalid-request", "Invalid request", "The body must be a JSON object");
        }
        return body;
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw methodNotAllowed(method);
        }
    }

    private static Problem methodNotAllowed(String method) {
        return new Problem(405, "method-not-allowed", "Method not allowed", method + " is not supported here");
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, json.writeValueAsBytes(body), "application/json");
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void trySend(HttpExchange exchange, Problem problem) {
        try {
            send(exchange, problem.status, problem.toJson(json), "application/problem+json");
        } catch (IOException | RuntimeException e) {
            // Headers may already be out; closing the exchange is all that is left.
            log.debug("Payment simulator: could not send a {} answer: {}", problem.status, e.toString());
        }
    }

    /** An RFC 9457 problem answer, thrown from anywhere in the handling of a request. */
    private static final class Problem extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int status;
        private final String type;
        private final String title;
        private final String field;

        Problem(int status, String type, String title, String detail) {
            this(status, type, title, detail, null);
        }

        private Problem(int status, String type, String title, String detail, String field) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.title = title;
            this.field = field;
        }

        static Problem invalid(String field, String message) {
            return new Problem(400, "invalid-request", "Invalid request", field + " " + message, field);
        }

        byte[] toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode()
                    .put("type", "urn:orderflow:payment-simulator:" + type)
                    .put("title", title)
                    .put("status", status)
                    .put("detail", getMessage());
            if (field != null) {
                node.putArray("errors").addObject().put("field", field).put("message", getMessage());
            }
            try {
                return json.writeValueAsBytes(node);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
