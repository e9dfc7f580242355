package io.orderflow.gateway.testkit.client;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A stream of checkouts from several clients, logged the way the checker of docs/failure-scenarios.md wants: every
 * request is acknowledged (2xx, with its order id), refused (a 4xx, which a valid order never deserves) or
 * indeterminate (no answer, a timeout, a cut connection, or a 5xx: the client cannot know whether the order was
 * stored). Each request carries its own {@code Idempotency-Key}, so an indeterminate one can be looked up later
 * ({@code ScenarioChecker} reports those that took effect as recovered) or sent again
 * ({@link #retryIndeterminate}).
 */
public final class OrderStream implements AutoCloseable {

    private final Supplier<Http> http;
    private final Supplier<String> orders;
    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    /** Idempotency-Key → body of every request whose outcome the client cannot know. */
    private final Map<String, String> indeterminate = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, AtomicInteger> failedByStatus = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lastAcknowledgedAt = new AtomicLong();
    private final ExecutorService clients;
    /** Nanoseconds between two requests across all clients; 0 for as fast as they go. */
    private final long interval;
    private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());

    private OrderStream(Supplier<Http> http, Supplier<String> orders, int clientCount, int ordersPerSecond) {
        this.http = http;
        this.orders = orders;
        this.interval = ordersPerSecond <= 0 ? 0 : 1_000_000_000L / ordersPerSecond;
        this.clients = Executors.newFixedThreadPool(clientCount, runnable -> {
            Thread thread = new Thread(runnable, "order-stream-client");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < clientCount; i++) {
            clients.submit(this::placeUntilStopped);
        }
    }

    /** Starts {@code clients} clients placing orders of the given bodies as fast as they can until {@link #stop()}. */
    public static OrderStream start(Supplier<Http> http, int clients, Supplier<String> orders) {
        return new OrderStream(http, orders, clients, 0);
    }

    /**
     * Starts {@code clients} clients placing orders until {@link #stop()}, together at most {@code ordersPerSecond}:
     * a steady stream rather than a flood, so that the scenario's size, not the machine's speed, sets the work left
     * for the checker.
     */
    public static OrderStream start(Supplier<Http> http, int clients, int ordersPerSecond, Supplier<String> orders) {
        return new OrderStream(http, orders, clients, ordersPerSecond);
    }

    /** The SKU the streams order, stocked by {@link #stockSku(Http)} so that no stream runs out. */
    public static final String SKU = "STREAM-1";

    /** Puts {@link #SKU} in the catalogue with a million units. */
    public static void stockSku(Http http) {
        new Fulfillment(http).stockNewSku(SKU, "10.00", 1_000_000);
    }

    /** An order of one unit of {@link #SKU} for a random customer. */
    public static String anyOrder() {
        return Operations.orderFor(UUID.randomUUID(), SKU, 1, "DE");
    }

    private void placeUntilStopped() {
        while (running.get()) {
            if (interval > 0) {
                long slot = nextSlot.getAndUpdate(last -> Math.max(last, System.nanoTime()) + interval);
                long wait = slot - System.nanoTime();
                if (wait > 0) {
                    pause(wait / 1_000_000);
                }
                if (!running.get()) {
                    return;
                }
            }
            String key = "stream-" + UUID.randomUUID();
            String body = orders.get();
            try {
                Http.Response placed = http.get().postJson("/api/orders", body, "Idempotency-Key", key);
                if (placed.status() == 201) {
                    acknowledged.add(UUID.fromString(placed.json().get("orderId").asText()));
                    lastAcknowledgedAt.set(System.nanoTime());
                } else {
                    failedByStatus.computeIfAbsent(placed.status(), s -> new AtomicInteger()).incrementAndGet();
                    if (placed.status() >= 500) {
                        // A server error does not say whether the order was stored (its commit may have been
                        // acknowledged by the database to no one).
                        indeterminate.put(key, body);
                    }
                    pause(100);
                }
            } catch (UncheckedIOException noAnswer) {
                failedByStatus.computeIfAbsent(0, s -> new AtomicInteger()).incrementAndGet();
                indeterminate.put(key, body);
                pause(100);
            }
        }
    }

    /** Stops the clients and waits for their last requests. */
    public void stop() {
        running.set(false);
        clients.shutdown();
        try {
            if (!clients.awaitTermination(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("order stream clients did not stop within 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until an order is acknowledged after {@code sinceNanos} ({@link System#nanoTime()}); answers when. */
    public long awaitAcknowledgementAfter(long sinceNanos, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long last = lastAcknowledgedAt.get();
            if (last > sinceNanos) {
                return last;
            }
            pause(20);
        }
        throw new AssertionError("no order acknowledged within " + timeout);
    }

    public Set<UUID> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** The Idempotency-Keys of the requests that got no answer or a 5xx. */
    public Set<String> indeterminateKeys() {
        return Set.copyOf(indeterminate.keySet());
    }

    /**
     * Does what a client does with an indeterminate request once the system answers again: sends it again, same
     * key, same body, until it is acknowledged. Answers the order id acknowledged for each key.
     */
    public Map<String, UUID> retryIndeterminate(Http client, Duration timeout) {
        Map<String, UUID> answers = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, String> request : indeterminate.entrySet()) {
            while (true) {
                try {
                    Http.Response placed = client.postJson("/api/orders", request.getValue(), "Idempotency-Key",
                            request.getKey());
                    if (placed.status() == 201) {
                        answers.put(request.getKey(), UUID.fromString(placed.json().get("orderId").asText()));
                        break;
                    }
                    if (placed.status() < 500) {
                        throw new AssertionError("retry of " + request.getKey() + " refused: " + placed.status()
                                + " " + placed.body());
                    }
                } catch (UncheckedIOException noAnswerYet) {
                    // try again
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("retry of " + request.getKey() + " not acknowledged within " + timeout);
                }
                pause(200);
            }
        }
        return answers;
    }

    public int failed() {
        return failedByStatus.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The refused or failed requests by HTTP status (0: no answer). */
    public String failedByStatus() {
        return new java.util.TreeMap<>(failedByStatus).toString();
    }

    /** The HTTP statuses of the refused or failed requests (0: no answer). */
    public Set<Integer> failedStatuses() {
        return Set.copyOf(failedByStatus.keySet());
    }

    /** Whether any request got a 4xx: the stream sends only valid orders, so that would be a defect. */
    public List<Integer> clientErrors() {
        return failedByStatus.keySet().stream().filter(status -> status > 0 && status < 500).sorted().toList();
    }

    @Override
    public void close() {
        if (running.get()) {
            stop();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
