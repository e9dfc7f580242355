package io.orderflow.fulfillment.payment;

import io.orderflow.order.api.Money;
import io.orderflow.fulfillment.payment.PaymentOutcome.Authorized;
import io.orderflow.fulfillment.payment.PaymentOutcome.Declined;
import io.orderflow.fulfillment.payment.PaymentOutcome.Unavailable;
import io.orderflow.fulfillment.payment.PaymentOutcome.Unknown;
import io.orderflow.fulfillment.payment.VoidOutcome.NotCharged;
import io.orderflow.fulfillment.payment.VoidOutcome.Unreachable;
import io.orderflow.fulfillment.payment.VoidOutcome.Voided;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizes and voids payments with the payment provider over HTTP, so that a charge happens at most once per
 * idempotency key and the caller learns whether it happened.
 *
 * <p>An attempt whose outcome is not known (a timeout, a dropped connection, a 5xx) may have charged. After any
 * failed attempt the client asks the provider what became of the key: a recorded authorization ends the call with
 * its outcome; an unknown key means nothing was charged, and the authorization is sent again with the same key after
 * a backoff. When the attempts run out the answer is {@link Unavailable} if the provider last said it did not know
 * the key, or if every attempt was refused before it was processed (by the open breaker, or with the 503 that this
 * provider answers only without processing), and {@link Unknown} if an attempt may have charged and the provider
 * could not be asked.
 * A 4xx answer means this client sent something wrong, and is thrown as an {@link IllegalStateException}.
 *
 * <p>Authorizations and voids go through one circuit breaker, which counts I/O errors, timeouts and 5xx answers as
 * failures; while it is open they fail at once, without reaching the provider, so such an attempt charges nothing.
 * An authorization attempt that failed but that the status check finds processed counts as a success: the provider
 * works and only its answer was lost, so a wave of lost answers does not open the breaker and hold up every order
 * behind it. Status checks go through a second breaker of the same settings, so that they still resolve attempts
 * while the first is open. Only when a status check fails too does an attempt that may have charged end in
 * {@link Unknown}. Instances are thread-safe and meant to be shared.
 */
public final class PaymentProviderClient {

    /** Long enough for a connection on a healthy network, short enough to retry within a saga step. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    public static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(3, Duration.ofMillis(100), 2.0);
    /** The name of the breaker guarding authorizations and voids; the status checks' is this with {@code -status}. */
    public static final String BREAKER_NAME = "payment-provider";

    private static final Logger log = LoggerFactory.getLogger(PaymentProviderClient.class);

    // The provider's key syntax: it must fit a URL path segment without encoding.
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final String baseUrl;
    private final Duration requestTimeout;
    private final RetryPolicy retryPolicy;
    private final CircuitBreaker circuitBreaker;
    private final CircuitBreaker statusBreaker;
    private final Retry authorizationRetry;
    private final Retry voidRetry;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * How often and how patiently an operation is tried.
     *
     * @param maxAttempts    attempts in all, at least 1
     * @param initialBackoff the wait before the second attempt
     * @param multiplier     the factor each further wait grows by, at least 1
     */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier) {

        /** Validates. */
        public RetryPolicy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            if (initialBackoff.isNegative() || initialBackoff.isZero()) {
                throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
            }
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
            }
        }
    }

    /**
     * A client for the provider at {@code baseUrl}.
     *
     * @param circuitBreaker guards the authorizations and voids; it should record all exceptions (the default), as
     *                       the client signals 5xx answers with one. The status checks get a breaker of their own
     *                       with its settings, named after it with {@code -status}.
     */
    public PaymentProviderClient(String baseUrl, Duration connectTimeout, Duration requestTimeout,
                                 RetryPolicy retryPolicy, CircuitBreaker circuitBreaker) {
        this(baseUrl, connectTimeout, requestTimeout, retryPolicy, circuitBreaker,
                CircuitBreaker.of(Objects.requireNonNull(circuitBreaker, "circuitBreaker").getName() + "-status",
                        circuitBreaker.getCircuitBreakerConfig()));
    }

    /**
     * A client for the provider at {@code baseUrl} whose status checks are guarded by {@code statusBreaker}, such as
     * two breakers of one registry that reports them as metrics.
     */
    public PaymentProviderClient(String baseUrl, Duration connectTimeout, Duration requestTimeout,
                                 RetryPolicy retryPolicy, CircuitBreaker circuitBreaker, CircuitBreaker statusBreaker) {
        this(baseUrl, connectTimeout, requestTimeout, retryPolicy, circuitBreaker, statusBreaker,
                UnaryOperator.identity());
    }

    /**
     * As above, with the HTTP client wrapped by {@code instrumentation}: the application's observes every call, so
     * that it is a span of the order's trace with a {@code traceparent} to the provider, and a timed metric (ADR 0045).
     */
    public PaymentProviderClient(String baseUrl, Duration connectTimeout, Duration requestTimeout,
                                 RetryPolicy retryPolicy, CircuitBreaker circuitBreaker, CircuitBreaker statusBreaker,
                                 UnaryOperator<HttpClient> instrumentation) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI.create(this.baseUrl);
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        this.statusBreaker = Objects.requireNonNull(statusBreaker, "statusBreaker");
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(retryPolicy.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(retryPolicy.initialBackoff(),
                        retryPolicy.multiplier()))
                // Only attempts known to be safe to repeat; anything else (a 4xx, a reused key) is final.
                .retryExceptions(Inconclusive.class)
                .build();
        this.authorizationRetry = Retry.of("payment-provider-authorization", retryConfig);
        this.voidRetry = Retry.of("payment-provider-void", retryConfig);
        this.http = instrumentation.apply(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
                .build());
    }

    /**
     * A client with the defaults: connect timeout 1 s, request timeout 2 s, 3 attempts with 100 ms backoff doubling,
     * and {@link #defaultCircuitBreaker()}.
     */
    public static PaymentProviderClient create(String baseUrl) {
        return new PaymentProviderClient(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY,
                defaultCircuitBreaker());
    }

    /** Opens when half of the last 10 calls failed, and stays open for 5 s before letting a few calls through. */
    public static CircuitBreaker defaultCircuitBreaker() {
        return CircuitBreaker.of(BREAKER_NAME, defaultCircuitBreakerConfig());
    }

    /** The settings of {@link #defaultCircuitBreaker()}. */
    public static CircuitBreakerConfig defaultCircuitBreakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .build();
    }

    /** The breaker guarding the authorizations and voids, for metrics and health. */
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** The breaker guarding the status checks, for metrics and health. */
    public CircuitBreaker statusBreaker() {
        return statusBreaker;
    }

    /**
     * Authorizes {@code amount} for {@code orderId} under {@code idempotencyKey}; repeating the call with the same
     * arguments never charges twice.
     *
     * @throws IllegalStateException if the provider rejects the request (4xx), or the key is already used for
     *                               another order, amount or currency
     */
    public PaymentOutcome authorize(String idempotencyKey, String orderId, Money money) {
        requireKey(idempotencyKey);
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(money, "amount");
        BigDecimal amount = money.amount();
        String currency = money.currency().getCurrencyCode();
        ObjectNode body = json.createObjectNode()
                .put("orderId", orderId)
                .put("amount", amount.toPlainString())
                .put("currency", currency);
        HttpRequest request = request("/v1/authorizations")
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        AuthorizationAttempts attempts = new AuthorizationAttempts(idempotencyKey, orderId, amount, currency, request);
        try {
            return withRetry(authorizationRetry, attempts::next);
        } catch (Inconclusive e) {
            return attempts.unresolved ? new Unknown(e.getMessage()) : new Unavailable(e.getMessage());
        }
    }

    /**
     * Voids the authorization under {@code idempotencyKey}, or fences the key if the provider has not seen it yet, so
     * that an authorization still in flight cannot charge. Retried like authorizations.
     *
     * @param orderId recorded with a fence; may be null
     */
    public VoidOutcome voidAuthorization(String idempotencyKey, String orderId) {
        requireKey(idempotencyKey);
        ObjectNode body = json.createObjectNode();
        if (orderId != null) {
            body.put("orderId", orderId);
        }
        HttpRequest request = request("/v1/authorizations/" + idempotencyKey + "/void")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        int[] attempt = {0};
        try {
            return withRetry(voidRetry, () -> {
                attempt[0]++;
                HttpResponse<String> response;
                try {
                    response = exchange(circuitBreaker, request);
                } catch (ProviderFailure failure) {
                    log.warn("Payment void {} attempt {}/{} failed: {}", idempotencyKey, attempt[0],
                            retryPolicy.maxAttempts(), failure.getMessage());
                    throw new Inconclusive(failure.getMessage());
                }
                ProviderAuthorization entry = entryOf(response, "void " + idempotencyKey);
                return switch (entry.status()) {
                    case VOIDED -> new Voided(idempotencyKey, entry.at());
                    case DECLINED -> new NotCharged("declined by the payment provider");
                    case AUTHORIZED -> throw new IllegalStateException(
                            "The payment provider answered a void of " + idempotencyKey + " with AUTHORIZED");
                };
            });
        } catch (Inconclusive e) {
            return new Unreachable(e.getMessage());
        }
    }

    /**
     * What the provider recorded under {@code idempotencyKey}, empty if it does not know the key. Asks once.
     *
     * @throws PaymentProviderUnreachableException if the provider could not be asked
     */
    public Optional<ProviderAuthorization> status(String idempotencyKey) {
        requireKey(idempotencyKey);
        try {
            return fetchStatus(idempotencyKey);
        } catch (ProviderFailure failure) {
            throw new PaymentProviderUnreachableException("Could not ask the payment provider about " + idempotencyKey
                    + ": " + failure.getMessage(), failure);
        }
    }

    /** The attempts of one {@link #authorize} call and what they revealed. */
    private final class AuthorizationAttempts {

        private final String key;
        private final String orderId;
        private final BigDecimal amount;
        private final String currency;
        private final HttpRequest request;
        private int attempt;
        /** Whether an attempt may have charged without the provider having told us since. */
        private boolean unresolved;

        AuthorizationAttempts(String key, String orderId, BigDecimal amount, String currency, HttpRequest request) {
            this.key = key;
            this.orderId = orderId;
            this.amount = amount;
            this.currency = currency;
            this.request = request;
        }

        /**
         * One attempt. The breaker learns how it went only once the status check, if one was needed, told: an
         * attempt that the provider processed and whose answer was lost on the way counts as a success, because
         * the provider works (a wave of lost answers must not open the breaker and hold up every order behind it).
         */
        PaymentOutcome next() throws Inconclusive {
            attempt++;
            ProviderFailure failure;
            Permit permit = null;
            try {
                permit = new Permit(circuitBreaker);
                HttpResponse<String> response = send(request);
                permit.succeeded();
                if (response.statusCode() >= 400) {
                    // A 4xx (429 aside) is the provider's final answer to this request: sent again, it is refused
                    // again. Nothing is charged under the key, so the order fails with the provider's reason.
                    log.warn("Payment authorization {} refused by the provider with {}: {}", key,
                            response.statusCode(), abbreviated(response.body()));
                    return new Declined("the payment provider refused the request with " + response.statusCode()
                            + ": " + abbreviated(response.body()));
                }
                return outcomeOf(entryOf(response, "authorization " + key));
            } catch (ProviderFailure e) {
                failure = e;
            } catch (RuntimeException e) {
                if (permit != null) {
                    permit.failed(e);
                }
                throw e;
            }
            if (!failure.refused) {
                unresolved = true;
            }
            Optional<ProviderAuthorization> recorded;
            try {
                recorded = fetchStatus(key);
            } catch (ProviderFailure statusFailure) {
                failedFor(permit, failure);
                log.warn("Payment authorization {} attempt {}/{} failed ({}); its status could not be checked ({})",
                        key, attempt, retryPolicy.maxAttempts(), failure.getMessage(), statusFailure.getMessage());
                throw new Inconclusive(failure.getMessage() + "; status unknown: " + statusFailure.getMessage());
            } catch (RuntimeException e) {
                failedFor(permit, failure);
                throw e;
            }
            if (recorded.isPresent()) {
                if (permit != null) {
                    permit.succeeded();
                }
                log.warn("Payment authorization {} attempt {}/{} failed ({}); the provider has it as {}", key, attempt,
                        retryPolicy.maxAttempts(), failure.getMessage(), recorded.get().status());
                return outcomeOf(recorded.get());
            }
            failedFor(permit, failure);
            // Nothing is charged under the key as of now, whatever the earlier attempts did.
            unresolved = false;
            log.warn("Payment authorization {} attempt {}/{} failed ({}); the provider does not know the key", key,
                    attempt, retryPolicy.maxAttempts(), failure.getMessage());
            throw new Inconclusive(failure.getMessage() + "; the provider does not know the key");
        }

        private PaymentOutcome outcomeOf(ProviderAuthorization entry) {
            boolean sameRequest = entry.amount() == null
                    || (entry.amount().compareTo(amount) == 0 && Objects.equals(entry.currency(), currency)
                    && Objects.equals(entry.orderId(), orderId));
            if (!sameRequest) {
                throw new IllegalStateException("Idempotency key " + key + " is already used at the payment provider "
                        + "for order " + entry.orderId() + ", " + entry.amount() + " " + entry.currency());
            }
            return switch (entry.status()) {
                case AUTHORIZED -> new Authorized(key, entry.at());
                case DECLINED -> new Declined("declined by the payment provider");
                case VOIDED -> new Declined("voided");
            };
        }
    }

    private Optional<ProviderAuthorization> fetchStatus(String key) throws ProviderFailure {
        HttpResponse<String> response = exchange(statusBreaker, request("/v1/authorizations/" + key).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(entryOf(response, "status of " + key));
    }

    private static void failedFor(Permit permit, ProviderFailure failure) {
        if (permit != null) {
            permit.failed(failure);
        }
    }

    /** One HTTP call through a circuit breaker, which learns its outcome at once. */
    private HttpResponse<String> exchange(CircuitBreaker breaker, HttpRequest request) throws ProviderFailure {
        Permit permit = new Permit(breaker);
        try {
            HttpResponse<String> response = send(request);
            permit.succeeded();
            return response;
        } catch (ProviderFailure | RuntimeException e) {
            permit.failed(e);
            throw e;
        }
    }

    /** One HTTP call; 5xx and 429 come back as failures, other answers as they are. */
    private HttpResponse<String> send(HttpRequest request) throws ProviderFailure {
        String what = request.method() + " " + request.uri().getPath();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderFailure(what + ": " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderFailure("interrupted", false, e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            // This provider answers 503 (and 429) only for requests it did not process; any other 5xx may come
            // after a charge.
            throw new ProviderFailure(what + " answered " + status + ": " + response.body(),
                    status == 503 || status == 429, null);
        }
        return response;
    }

    /**
     * A breaker's permission for one call, which must then be told, once, whether the call succeeded (in the
     * half-open state the breaker lets only a few permitted calls through and waits for their outcomes).
     */
    private static final class Permit {

        private final CircuitBreaker breaker;
        private final long started;
        private boolean told;

        /** @throws ProviderFailure, refused, if the breaker is open: the request is then never sent */
        Permit(CircuitBreaker breaker) throws ProviderFailure {
            try {
                breaker.acquirePermission();
            } catch (CallNotPermittedException e) {
                throw new ProviderFailure("circuit breaker open", true, e);
            }
            this.breaker = breaker;
            this.started = System.nanoTime();
        }

        void succeeded() {
            if (!told) {
                told = true;
                breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }

        void failed(Throwable cause) {
            if (!told) {
                told = true;
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, cause);
            }
        }
    }

    /** A provider's answer cut to a length that fits a log line and an event. */
    private static String abbreviated(String body) {
        String text = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private ProviderAuthorization entryOf(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The payment provider rejected the " + what + " with "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            JsonNode node = json.readTree(response.body());
            return new ProviderAuthorization(
                    node.get("idempotencyKey").asText(),
                    textOrNull(node, "orderId"),
                    node.hasNonNull("amount") ? new BigDecimal(node.get("amount").asText()) : null,
                    textOrNull(node, "currency"),
                    ProviderAuthorization.Status.valueOf(node.get("status").asText()),
                    Instant.parse(node.get("at").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("The payment provider's answer to the " + what + " is not an "
                    + "authorization: " + response.body(), e);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
    }

    private static <T> T withRetry(Retry retry, Callable<T> call) throws Inconclusive {
        try {
            return retry.executeCallable(call);
        } catch (Inconclusive | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireKey(String idempotencyKey) {
        if (idempotencyKey == null || !KEY.matcher(idempotencyKey).matches()) {
            throw new IllegalArgumentException("An idempotency key is 1 to 200 letters, digits or . _ : -, was "
                    + idempotencyKey);
        }
    }

    /** An attempt that may be repeated: nothing is known to be charged, or it could not be found out. */
    private static final class Inconclusive extends Exception {

        private static final long serialVersionUID = 1L;

        Inconclusive(String message) {
            super(message, null, false, false);
        }
    }

    /** The provider could not be asked, or did not process the request. */
    private static final class ProviderFailure extends Exception {

        private static final long serialVersionUID = 1L;

        private final boolean refused;

        ProviderFailure(String message, boolean refused, Throwable cause) {
            super(message, cause);
            this.refused = refused;
        }
    }
}
