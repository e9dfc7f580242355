package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.StoreSnapshot;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.process.SystemHarness;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database written by the previous release (commit 6120c55, before the api modules were reshaped: one address
 * type, one customer id, values with their own violations) is loaded into this release, which then reads, replays,
 * commands and continues what that release left: its events, customers, projections, sagas and deadlines.
 *
 * <p>The store ({@code src/test/resources/previous-release/6120c55}, written by {@link StoreSnapshot} from that
 * release's development jar after the README's walk-through) holds two customers (one with billing and shipping
 * changes), a completed order, one declined by the provider, one cancelled while it waited for an address, and two
 * orders waiting for their customer's address version 1, each with its saga and its deadline (one made due, one
 * moved ahead). Kafka starts empty,
 * as after restoring the database into a new environment: the processors that read Kafka start over on it, those
 * that read the event store keep their tokens.
 */
class PreviousReleaseStoreIT {

    private static final Path STORE = Path.of("src", "test", "resources", "previous-release", "6120c55");

    private static final UUID ADA = UUID.fromString("598964a7-a7e5-4ff7-ae76-e6e4dfe9bc0f");
    private static final UUID GRACE = UUID.fromString("748b1c92-a639-42db-bbc3-1f42de815c7e");
    private static final UUID COMPLETED = UUID.fromString("4058dbea-4a5b-4d79-bb47-496001afc0bd");
    private static final UUID DECLINED = UUID.fromString("242d5896-4200-45b0-b678-28f7fb199b7e");
    private static final UUID CANCELLED = UUID.fromString("3d58ea6c-05fc-4b01-9900-30769bdedcc1");
    /** Waits for Ada's address version 1; its deadline is made due when the store is loaded. */
    private static final UUID WAITING_PAST_DEADLINE = UUID.fromString("3ac4bcd4-3ada-41e1-86b8-1ab24973ae66");
    private static final String PAST_DEADLINE = "7e996962-eadd-4ef4-b372-b2b2e7a2787f";
    /** Waits for Ada's address version 1; its deadline is moved ahead, as if restored promptly. */
    private static final UUID WAITING = UUID.fromString("6c02a460-7dfb-46fa-b550-b6106525968b");
    private static final String WAITING_DEADLINE = "3abb84da-fa6b-4f02-ad28-aebfd0071f5e";
    private static final UUID GRACES_ORDER = UUID.fromString("d70e7044-aef8-4d95-b739-172cc0775437");

    @Test
    void theStoreOfThePreviousRelease_isRead_replayed_commanded_andItsSagasAndDeadlinesGoOn() throws Exception {
        try (SystemHarness system = SystemHarness.builder().brokers(1).start()) {
            // This release migrated the empty database; the old rows replace whatever its first start wrote.
            system.app().kill();
            Map<String, Long> loaded;
            try (Connection connection = DriverManager.getConnection(system.postgres().jdbcUrl(),
                    system.postgres().username(), system.postgres().password())) {
                loaded = StoreSnapshot.load(connection, STORE);
            }
            system.jdbc().update("DELETE FROM token_entry WHERE processor_name IN "
                    + "('fulfillment', 'delivery-address', 'analytics', 'notifications')");
            system.jdbc().update("UPDATE token_entry SET owner = NULL");
            // One old deadline is due, the other moved ahead (as if the store had been restored promptly).
            system.jdbc().update("UPDATE scheduled_tasks SET execution_time = now() + interval '10 minutes' "
                    + "WHERE task_instance = ?", WAITING_DEADLINE);
            system.jdbc().update("UPDATE scheduled_tasks SET execution_time = now() - interval '1 minute' "
                    + "WHERE task_instance = ?", PAST_DEADLINE);
            // As on a database the previous release left, the migration that encrypts its personal data (ADR 0032)
            // has not run yet: it runs at the restart, before the application reads anything.
            system.jdbc().update("DELETE FROM flyway_schema_history WHERE version = '3001'");
            assertThat(plainTextRows(system, "Boston")).as("the old release's plain text, before the migration")
                    .isPositive();
            System.out.println("previous release's store loaded: " + loaded);
            Duration restart = system.app().start(Duration.ofSeconds(180));
            assertThat(plainTextRows(system, "Boston")).as("Grace's city in the stored events, snapshots, sagas and "
                    + "dead letters after the migration").isZero();
            assertThat(system.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type = "
                    + "'io.orderflow.customer.api.CustomerRegisteredEvent' AND position('\"pd1:' in "
                    + "convert_from(payload, 'UTF8')) > 0", Long.class)).as("registrations encrypted").isEqualTo(2);
            Http http = system.http();
            Fulfillment fulfillment = new Fulfillment(http);

            // What the old release's projections served is served as it was.
            Map<UUID, String> expected = Map.of(COMPLETED, "COMPLETED", DECLINED, "FAILED PAYMENT_DECLINED",
                    CANCELLED, "CANCELLED", GRACES_ORDER, "COMPLETED");
            assertThat(statuses(http, expected.keySet())).isEqualTo(new TreeMap<>(expected));
            JsonNode grace = http.get("/api/customers/" + GRACE).json();
            assertThat(grace.get("version").asLong()).isEqualTo(2);
            assertThat(grace.at("/shippingAddress/city").asText()).isEqualTo("Boston");
            assertThat(grace.at("/billingAddress/city").asText()).isEqualTo("Washington");

            // The old saga's deadline, stored by the old release, fires and the saga fails the order cleanly.
            JsonNode pastDeadline = fulfillment.awaitStatus(WAITING_PAST_DEADLINE, Duration.ofSeconds(90),
                    Fulfillment.TERMINAL.toArray(String[]::new));
            assertThat(pastDeadline.get("status").asText() + " " + pastDeadline.get("failureReason").asText())
                    .isEqualTo("FAILED ADDRESS_UNAVAILABLE");

            // The other old saga goes on when the address version it waits for arrives.
            assertThat(http.get("/api/orders/" + WAITING).json().get("status").asText())
                    .isEqualTo("AWAITING_ADDRESS");
            Http.Response moved = http.put("/api/customers/" + ADA + "/shipping-address", """
                    {"street": "Rue de Rivoli 2", "city": "Paris", "postalCode": "75001", "country": "FR"}""");
            assertThat(moved.status()).isEqualTo(200);
            assertThat(moved.json().get("version").asLong()).isEqualTo(1);
            JsonNode shipped = fulfillment.awaitStatus(WAITING, Duration.ofSeconds(90),
                    Fulfillment.TERMINAL.toArray(String[]::new));
            assertThat(shipped.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(system.jdbc().queryForObject("SELECT city FROM shipment WHERE order_id = ?", String.class,
                    WAITING)).isEqualTo("Paris");
            assertThat(fulfillment.ledgerEntries(WAITING, "AUTHORIZED")).isEqualTo(1);
            assertThat(fulfillment.ledgerEntries(COMPLETED, "AUTHORIZED")).as("the old charge, not repeated")
                    .isEqualTo(1);

            // An old aggregate, loaded from the old events, takes commands: a shipped order cannot be cancelled.
            assertThat(http.postJson("/api/orders/" + COMPLETED + "/cancel", "{\"reason\": \"late\"}").status())
                    .isEqualTo(409);

            // A replay reads every old event again and builds the same summaries.
            Operations operations = new Operations(http);
            assertThat(operations.post("/api/admin/processors/order-summary/replay").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                    system.jdbc().queryForObject("SELECT count(*) FROM projection_generation "
                            + "WHERE projection = 'order-summary' AND building <> served", Long.class) == 0);
            Map<UUID, String> afterReplay = new java.util.HashMap<>(expected);
            afterReplay.put(WAITING, "COMPLETED");
            afterReplay.put(WAITING_PAST_DEADLINE, "FAILED ADDRESS_UNAVAILABLE");
            assertThat(statuses(http, afterReplay.keySet())).isEqualTo(new TreeMap<>(afterReplay));
            assertThat(http.get("/api/orders/" + COMPLETED).json().get("history").findValuesAsText("type"))
                    .containsExactly("OrderAccepted", "OrderStockReserved", "OrderPaymentAuthorized",
                            "OrderShipmentArranged", "OrderCompleted");

            // And new business goes on beside the old.
            UUID fresh = fulfillment.place(Fulfillment.orderForVersion(GRACE, "SKU-3", 1, 2));
            assertThat(fulfillment.awaitEnd(fresh).get("status").asText()).isEqualTo("COMPLETED");
            System.out.printf("previous release's store: %d events, %d sagas loaded; application up %d ms after "
                            + "the load; both old sagas ended (deadline, address); a replay rebuilt %d summaries%n",
                    loaded.get("domain_event_entry"), loaded.get("saga_entry"), restart.toMillis(),
                    afterReplay.size());
        }
    }

    /** Rows of the serialized-object tables whose payload holds {@code text} in plain text. */
    private static long plainTextRows(SystemHarness system, String text) {
        long rows = 0;
        for (String[] table : new String[][] {{"domain_event_entry", "payload"}, {"snapshot_event_entry", "payload"},
                {"saga_entry", "serialized_saga"}, {"dead_letter_entry", "payload"}}) {
            rows += system.jdbc().queryForObject("SELECT count(*) FROM " + table[0] + " WHERE position(? in "
                    + "convert_from(" + table[1] + ", 'UTF8')) > 0", Long.class, text);
        }
        return rows;
    }

    private static Map<UUID, String> statuses(Http http, java.util.Collection<UUID> orders) {
        Map<UUID, String> statuses = new TreeMap<>();
        for (UUID order : orders) {
            JsonNode summary = http.get("/api/orders/" + order).json();
            JsonNode reason = summary.get("failureReason");
            statuses.put(order, summary.get("status").asText()
                    + (reason == null || reason.isNull() ? "" : " " + reason.asText()));
        }
        return statuses;
    }

}
