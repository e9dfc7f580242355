package io.orderflow.gateway.testkit.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** The operations API (processors, dead letters, notifications) and the customer API, for the system tests. */
public final class Operations {

    private final Http http;

    public Operations(Http http) {
        this.http = http;
    }

    /** Registers a customer with a snapshot-free profile and answers its id. */
    public UUID registerCustomer(String name, String email) {
        Http.Response registered = http.postJson("/api/customers", """
                {"name": "%s", "email": "%s", "shippingAddress": %s}""".formatted(name, email, Orders.HOME));
        if (registered.status() != 201) {
            throw new AssertionError("customer refused: " + registered.body());
        }
        return UUID.fromString(registered.json().get("customerId").asText());
    }

    /** An order of one SKU for a known customer, to a snapshot address in the country. */
    public static String orderFor(UUID customerId, String sku, int quantity, String country) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "%s", "quantity": %d}],
                 "deliveryAddress": {"street": "Hauptstrasse 1", "city": "Somewhere", "postalCode": "10115",
                                     "country": "%s"}}""".formatted(customerId, sku, quantity, country);
    }

    /** The names of every processor, as the processors view lists them. */
    public List<String> processorNames() {
        List<String> names = new ArrayList<>();
        http.get("/api/admin/processors").json().forEach(view -> names.add(view.get("name").asText()));
        return names;
    }

    public JsonNode processor(String name) {
        Http.Response read = http.get("/api/admin/processors/" + name);
        if (read.status() != 200) {
            throw new AssertionError("processor " + name + ": " + read.status() + " " + read.body());
        }
        return read.json();
    }

    public Http.Response post(String path) {
        return http.postJson(path, "");
    }

    public void pause(String name) {
        expect(post("/api/admin/processors/" + name + "/pause"), 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "PAUSED".equals(processor(name).get("status").asText()));
    }

    public void resume(String name) {
        expect(post("/api/admin/processors/" + name + "/resume"), 200);
    }

    /**
     * Waits until the processor runs with no lag on every segment, seen for longer than the listing caches the Kafka
     * head (so a record produced just before the call is counted); answers the highest lag seen meanwhile.
     */
    public long awaitCaughtUp(String name, Duration timeout) {
        long[] peak = {0};
        long[] caughtUpSince = {0};
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode view = processor(name);
            long lag = view.get("lag").isNull() ? Long.MAX_VALUE : view.get("lag").asLong();
            if (lag != Long.MAX_VALUE) {
                peak[0] = Math.max(peak[0], lag);
            }
            boolean caughtUp = "RUNNING".equals(view.get("status").asText()) && lag == 0
                    && !view.get("replaying").asBoolean();
            if (!caughtUp) {
                caughtUpSince[0] = 0;
                return false;
            }
            if (caughtUpSince[0] == 0) {
                caughtUpSince[0] = System.nanoTime();
            }
            return System.nanoTime() - caughtUpSince[0] > 800_000_000L;
        });
        return peak[0];
    }

    /** The notifications of the order, oldest first. */
    public List<JsonNode> notifications(UUID orderId) {
        Http.Response read = http.get("/api/admin/notifications?orderId=" + orderId);
        if (read.status() != 200) {
            throw new AssertionError("notifications: " + read.status() + " " + read.body());
        }
        List<JsonNode> all = new ArrayList<>();
        read.json().forEach(all::add);
        return all;
    }

    /**
     * Waits until the order has notifications of exactly these types, in this order, none of them still pending
     * (recorded, its mail not handed over yet), and answers them.
     */
    public List<JsonNode> awaitNotifications(UUID orderId, Duration timeout, String... types) {
        List<String> wanted = List.of(types);
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<JsonNode> notifications = notifications(orderId);
                    return notifications.stream().map(n -> n.get("type").asText()).toList().equals(wanted)
                            && notifications.stream().noneMatch(n -> "PENDING".equals(n.get("status").asText()));
                });
        return notifications(orderId);
    }

    /** Waits until the order has a notification of the type, whatever else it has, and answers it. */
    public JsonNode awaitNotification(UUID orderId, Duration timeout, String type) {
        JsonNode[] found = {null};
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            found[0] = notifications(orderId).stream().filter(n -> type.equals(n.get("type").asText()))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    public JsonNode deadLetters(String processor) {
        return http.get("/api/admin/dead-letters?processor=" + processor).json();
    }

    /** The processor's parked sequence of that id (an order's, for the order summary), or null if none is parked. */
    public JsonNode parked(String processor, UUID sequenceId) {
        for (JsonNode sequence : deadLetters(processor)) {
            if (sequenceId.toString().equals(sequence.get("sequenceId").asText())) {
                return sequence;
            }
        }
        return null;
    }

    public JsonNode analytics() {
        return http.get("/api/analytics/summary").json();
    }

    static Http.Response expect(Http.Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected " + status + " but got " + response.status() + ": "
                    + response.body());
        }
        return response;
    }
}
