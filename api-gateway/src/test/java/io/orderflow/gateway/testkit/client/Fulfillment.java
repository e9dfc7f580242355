package io.orderflow.gateway.testkit.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** Reading fulfillment's results over the public API, for the system tests. */
public final class Fulfillment {

    public static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final Http http;

    public Fulfillment(Http http) {
        this.http = http;
    }

    /** Places an order and answers its id; fails the test unless the API accepted it. */
    public UUID place(String body) {
        return place(body, null);
    }

    /** Places an order under an Idempotency-Key (none when null): placing it again answers the same order. */
    public UUID place(String body, String idempotencyKey) {
        Http.Response placed = idempotencyKey == null ? http.postJson("/api/orders", body)
                : http.postJson("/api/orders", body, "Idempotency-Key", idempotencyKey);
        if (placed.status() != 201) {
            throw new AssertionError("order refused: " + placed.status() + " " + placed.body());
        }
        return UUID.fromString(placed.json().get("orderId").asText());
    }

    /** Waits until the order's summary shows one of the statuses, and answers the summary. */
    public JsonNode awaitStatus(UUID orderId, Duration timeout, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        JsonNode[] last = new JsonNode[1];
        // Asked at once, then every 100 ms: an order that has already ended costs no wait.
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            Http.Response read = http.get("/api/orders/" + orderId);
            last[0] = read.status() == 200 ? read.json() : null;
            return last[0] != null && wanted.contains(last[0].get("status").asText());
        });
        return last[0];
    }

    /** Waits for a terminal status (COMPLETED, FAILED or CANCELLED). */
    public JsonNode awaitEnd(UUID orderId) {
        return awaitStatus(orderId, Duration.ofSeconds(60), TERMINAL.toArray(String[]::new));
    }

    /** The provider's ledger entries of the order. */
    public JsonNode ledger(UUID orderId) {
        return http.get("/api/admin/payments?orderId=" + orderId).json();
    }

    /** How many of the order's ledger entries are in the given status. */
    public long ledgerEntries(UUID orderId, String status) {
        long count = 0;
        for (JsonNode entry : ledger(orderId)) {
            if (status.equals(entry.get("status").asText())) {
                count++;
            }
        }
        return count;
    }

    /** The SKU's stock: available, reserved, shipped. */
    public JsonNode stock(String sku) {
        return http.get("/api/inventory/" + sku).json();
    }

    /** The SKU's stock as "available/reserved/shipped", to compare in one assertion. */
    public String stockLevels(String sku) {
        JsonNode stock = stock(sku);
        return stock.get("available").asInt() + "/" + stock.get("reserved").asInt() + "/"
                + stock.get("shipped").asInt();
    }

    /**
     * How an order ended, everything a fulfillment test judges in one value: its status and failure reason, the
     * provider's ledger entries per status, and its SKU's stock as "available/reserved/shipped".
     */
    public record Outcome(String status, String failureReason, long authorized, long declined, long voided,
                          String stock) {

        public static Outcome completed(String stock) {
            return new Outcome("COMPLETED", null, 1, 0, 0, stock);
        }

        public static Outcome failed(String reason, long authorized, long declined, long voided, String stock) {
            return new Outcome("FAILED", reason, authorized, declined, voided, stock);
        }

        public static Outcome cancelled(String stock) {
            return new Outcome("CANCELLED", null, 0, 0, 0, stock);
        }
    }

    /** Waits for the order to end and answers its outcome, its stock read from {@code sku}. */
    public Outcome awaitOutcome(UUID orderId, String sku) {
        JsonNode order = awaitEnd(orderId);
        JsonNode reason = order.get("failureReason");
        return new Outcome(order.get("status").asText(), reason == null || reason.isNull() ? null : reason.asText(),
                ledgerEntries(orderId, "AUTHORIZED"), ledgerEntries(orderId, "DECLINED"),
                ledgerEntries(orderId, "VOIDED"), stockLevels(sku));
    }

    /** Puts a SKU into the catalogue at a price and sets its stock, for a test of its own. */
    public void stockNewSku(String sku, String price, int available) {
        Http.Response priced = http.put("/api/catalogue/" + sku,
                "{\"name\": \"Test item " + sku + "\", \"unitPrice\": \"" + price + "\", \"currency\": \"EUR\"}");
        if (priced.status() != 200) {
            throw new AssertionError("catalogue refused " + sku + ": " + priced.body());
        }
        Http.Response stocked = http.put("/api/inventory/" + sku, "{\"available\": " + available + "}");
        if (stocked.status() != 200) {
            throw new AssertionError("inventory refused " + sku + ": " + stocked.body());
        }
    }

    /** An order of {@code quantity} of one SKU to a snapshot address in the given country. */
    public static String order(String sku, int quantity, String country) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "%s", "quantity": %d}],
                 "deliveryAddress": {"street": "Hauptstrasse 1", "city": "Somewhere", "postalCode": "10115",
                                     "country": "%s"}}""".formatted(UUID.randomUUID(), sku, quantity, country);
    }

    /** An order of {@code quantity} of one SKU that names the customer-profile version to ship to. */
    public static String orderForVersion(UUID customerId, String sku, int quantity, long addressVersion) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "%s", "quantity": %d}],
                 "addressVersion": %d}""".formatted(customerId, sku, quantity, addressVersion);
    }
}
