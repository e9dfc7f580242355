package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.process.PoisonPill;
import io.orderflow.infra.mail.SmtpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crypto-shredding (ADR 0032) end to end: a customer registers, moves, orders (one order of theirs parked as a dead
 * letter), and is erased by their own request. Then no table in any schema and no record on any Kafka topic (keys,
 * values and headers; internal topics included) holds their name, e-mail address or any of their addresses, as text
 * or as the bytes of a binary column; every projection replayed from the start shows them erased; their parked order
 * replays; no e-mail reaches them afterwards, and an order placed for them afterwards ships nothing.
 *
 * <p>Every personal value contains one marker of ten letters outside the hexadecimal digits, so one search finds any
 * of them, as text or hex-encoded, and nothing else can contain it by chance.
 */
class ErasureIT extends EmbeddedSystemTest {

    private static final List<String> REPLAYABLE = List.of("order-summary", "customer-profile", "analytics");

    @Autowired
    SmtpServer smtp;


    @Test
    void anErasedCustomerIsUnreadableEverywhere_replaysShowThemErased_andNothingReachesThemAfterwards()
            throws Exception {
        Operations operations = new Operations(http);
        Fulfillment fulfillment = new Fulfillment(http);
        String marker = marker();
        currentMarker = marker;
        String email = "erin." + marker + "@example.com";
        String sku = "ERASE-" + UUID.randomUUID().toString().substring(0, 8);
        fulfillment.stockNewSku(sku, "10.00", 20);

        UUID customer = UUID.fromString(http.postJson("/api/customers", """
                {"name": "Erin Shredwell %1$s", "email": "%2$s",
                 "shippingAddress": {"street": "1 First Lane %1$s", "city": "Oldtown %1$s", "postalCode": "P1 %1$s",
                                     "country": "DE"},
                 "billingAddress": {"street": "2 Ledger Road %1$s", "city": "Billham %1$s", "postalCode": "P2 %1$s",
                                    "country": "DE"}}""".formatted(marker, email)).json().get("customerId").asText());
        Http asCustomer = http.as(tokens.asCustomer(customer));
        assertThat(asCustomer.put("/api/customers/" + customer + "/shipping-address", address("3 Second Street",
                marker, "FR")).status()).isEqualTo(200);
        assertThat(asCustomer.put("/api/customers/" + customer + "/billing-address", address("4 Invoice Alley",
                marker, "FR")).status()).isEqualTo(200);

        // Orders: one shipping to profile version 2, one to an address of its own; one more, of a customer whose
        // order-summary handler fails, parked as a dead letter.
        List<UUID> orders = new ArrayList<>();
        orders.add(fulfillment.place(orderForVersion(customer, sku, 2)));
        orders.add(fulfillment.place(orderTo(customer, sku, address("5 Parcel Place", marker, "DE"))));
        for (UUID order : orders) {
            assertThat(fulfillment.awaitEnd(order).get("status").asText()).isEqualTo("COMPLETED");
            operations.awaitNotifications(order, Duration.ofSeconds(60), "ORDER_ACCEPTED", "ORDER_SHIPPED");
        }
        // (The poison is this customer's alone: left on if the test fails, it touches no other test's orders.)
        PoisonPill.poison(customer);
        UUID parkedOrder = fulfillment.place(orderTo(customer, sku, address("6 Dead Letter Drive", marker, "DE")));
        await().atMost(Duration.ofSeconds(60)).until(() -> parkedSize(operations, parkedOrder) >= 5);
        operations.awaitNotifications(parkedOrder, Duration.ofSeconds(60), "ORDER_ACCEPTED", "ORDER_SHIPPED");
        assertThat(foundIn("before the erasure")).as("the marker is found while the customer's data is readable "
                + "(the search works)").isNotEmpty();
        int mailsBefore = mailsTo(email);
        assertThat(mailsBefore).as("mails to the customer before the erasure").isEqualTo(6);

        // Only the customer themself or an operator may erase; the shop may not.
        assertThat(http.as(tokens.asShop()).delete("/api/customers/" + customer).status()).isEqualTo(403);
        assertThat(http.as(tokens.asCustomer(UUID.randomUUID())).delete("/api/customers/" + customer).status())
                .isEqualTo(404);
        long started = System.nanoTime();
        Http.Response erased = asCustomer.delete("/api/customers/" + customer);
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        long version = erased.json().get("version").asLong();
        assertThat(version).isEqualTo(3);
        assertThat(asCustomer.delete("/api/customers/" + customer).json().get("version").asLong())
                .as("erasing again changes nothing").isEqualTo(version);
        assertThat(asCustomer.put("/api/customers/" + customer + "/shipping-address",
                address("7 Too Late Way", marker, "DE")).status()).as("an erased profile takes no changes")
                .isEqualTo(409);

        JsonNode view = asCustomer.get("/api/customers/" + customer + "?minVersion=" + version).json();
        assertThat(view.get("name").asText()).isEqualTo("[erased]");
        assertThat(view.get("email").asText()).isEqualTo("[erased]");
        assertThat(view.at("/shippingAddress/street").asText()).isEqualTo("[erased]");
        assertThat(view.at("/shippingAddress/country").asText()).isEqualTo("FR");
        assertThat(view.get("erasedAt").isTextual()).isTrue();
        // Every copy is overwritten once the erasure has reached its context (the order summary, the customer
        // profile, the notifications, the delivery addresses, billing).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> foundIn("after the erasure").isEmpty());
        long erasedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM customer_data_key WHERE customer_id = ?", Long.class,
                customer)).as("the customer's data key").isZero();
        assertThat(jdbc.queryForObject("SELECT requested_by FROM customer_erasure WHERE customer_id = ?",
                String.class, customer)).isEqualTo("the customer");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE aggregate_identifier = ?",
                Long.class, parkedOrder.toString())).as("the parked order's dead letters, kept encrypted")
                .isGreaterThanOrEqualTo(5);

        // The parked order replays after the erasure, its address erased.
        PoisonPill.cure(customer);
        assertThat(operations.post("/api/admin/dead-letters/order-summary/" + parkedOrder + "/retry").status())
                .isEqualTo(200);
        JsonNode parked = fulfillment.awaitEnd(parkedOrder);
        assertThat(parked.at("/deliveryAddress/street").asText()).isEqualTo("[erased]");

        // Every replayable projection rebuilt from the start of the store: the customer shows as erased.
        for (String projection : REPLAYABLE) {
            Http.Response replay = operations.post("/api/admin/processors/" + projection + "/replay");
            assertThat(replay.status()).as(projection + ": " + replay.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM projection_generation WHERE building <> served",
                        Long.class) == 0);
        JsonNode replayed = asCustomer.get("/api/customers/" + customer).json();
        assertThat(replayed.get("name").asText()).isEqualTo("[erased]");
        assertThat(replayed.get("erasedAt").isTextual()).as(replayed.toString()).isTrue();
        assertThat(replayed.get("version").asLong()).isEqualTo(version);
        for (UUID order : orders) {
            JsonNode summary = http.get("/api/orders/" + order).json();
            assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
            if (summary.hasNonNull("deliveryAddress")) {
                assertThat(summary.at("/deliveryAddress/street").asText()).isEqualTo("[erased]");
            }
        }
        assertThat(foundIn("after the replays")).isEmpty();

        // Afterwards: an order placed for the erased customer ships nothing (there is no address to ship to) and
        // no e-mail is sent to them.
        UUID after = fulfillment.place(orderTo(customer, sku, address("8 Afterwards Avenue", marker, "DE")));
        assertThat(fulfillment.awaitEnd(after).get("failureReason").asText()).isEqualTo("ADDRESS_UNAVAILABLE");
        await().atMost(Duration.ofSeconds(30)).until(() -> operations.notifications(after).size() == 2);
        assertThat(operations.notifications(after)).extracting(n -> n.get("status").asText())
                .containsOnly("CUSTOMER_ERASED");
        assertThat(mailsTo(email)).as("mails to the customer after the erasure").isEqualTo(mailsBefore);
        assertThat(foundIn("after an order placed after the erasure")).isEmpty();

        ScenarioReport.record(new ScenarioReport.Row("S15 erasure", "erasing a customer (crypto-shredding)",
                "a customer registers, moves twice and orders three times (one order parked as a dead letter), "
                        + "then erases their data", orders.size() + 2, 0, 0,
                "every copy unreadable " + erasedMillis + " ms after the request", true,
                "no table of any schema and no Kafka record (keys, values, headers, internal topics too) holds the "
                        + "name, e-mail or any address, as text or bytes; the key is deleted; order-summary, "
                        + "customer-profile and analytics replayed from the start show the customer erased; the "
                        + "parked order replays with its address erased; " + mailsBefore + " mails before, none "
                        + "after; an order placed afterwards fails ADDRESS_UNAVAILABLE (ADR 0032)"));
    }

    /** Ten letters from g to z: no hexadecimal digit, so neither a UUID nor a hex dump can contain it by chance. */
    private static String marker() {
        Random random = new Random();
        StringBuilder marker = new StringBuilder("Q");
        for (int i = 0; i < 9; i++) {
            marker.append((char) ('g' + random.nextInt(20)));
        }
        return marker.toString();
    }

    private static String address(String street, String marker, String country) {
        return """
                {"street": "%1$s %2$s", "city": "Town %2$s", "postalCode": "PC %2$s", "country": "%3$s"}"""
                .formatted(street, marker, country);
    }

    private static String orderTo(UUID customer, String sku, String address) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "%s", "quantity": 1}],
                 "deliveryAddress": %s}""".formatted(customer, sku, address);
    }

    private static String orderForVersion(UUID customer, String sku, long version) {
        return Fulfillment.orderForVersion(customer, sku, 1, version);
    }

    private static int parkedSize(Operations operations, UUID orderId) {
        JsonNode parked = operations.parked("order-summary", orderId);
        return parked == null ? 0 : parked.get("size").asInt();
    }

    private int mailsTo(String email) throws MessagingException {
        int count = 0;
        for (MimeMessage message : smtp.received()) {
            Address[] recipients = message.getAllRecipients();
            if (recipients != null) {
                for (Address recipient : recipients) {
                    if (recipient.toString().contains(email)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /**
     * Where the customer's data is readable: every table of every schema the application, the simulator and the
     * reporting copy use (each row as text, binary columns as hex), and every record of every Kafka topic.
     */
    private Map<String, Long> foundIn(String when) {
        String marker = currentMarker;
        Map<String, Long> found = new TreeMap<>();
        String hex = HexFormat.of().formatHex(marker.getBytes(StandardCharsets.UTF_8));
        List<Map<String, Object>> tables = jdbc.queryForList("SELECT schemaname, tablename FROM pg_tables "
                + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
        for (Map<String, Object> table : tables) {
            String name = "\"" + table.get("schemaname") + "\".\"" + table.get("tablename") + "\"";
            long rows = jdbc.queryForObject("SELECT count(*) FROM " + name + " t WHERE strpos(t::text, ?) > 0 "
                    + "OR strpos(t::text, ?) > 0", Long.class, marker, hex);
            if (rows > 0) {
                found.put("table " + name, rows);
            }
        }
        found.putAll(kafkaRecordsHolding(marker));
        System.out.printf("%n=== Erasure search %s: %d tables, the marker found in %s ===%n", when, tables.size(),
                found.isEmpty() ? "nothing" : found);
        return found;
    }

    private String currentMarker;

    private Map<String, Long> kafkaRecordsHolding(String marker) {
        Properties settings = new Properties();
        // The brokers' own super user: the only principal that sees every topic, the internal ones included.
        settings.putAll(kafka(KafkaPrincipal.BROKER));
        Map<String, Long> found = new TreeMap<>();
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (AdminClient admin = AdminClient.create(settings)) {
            List<String> topics = new ArrayList<>(admin.listTopics(new org.apache.kafka.clients.admin
                    .ListTopicsOptions().listInternal(true)).names().get());
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(30))
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())
                        && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        boolean holds = contains(record.key(), needle) || contains(record.value(), needle);
                        for (Header header : record.headers()) {
                            holds |= contains(header.value(), needle);
                        }
                        if (holds) {
                            found.merge("topic " + record.topic(), 1L, Long::sum);
                        }
                    }
                }
                assertThat(System.nanoTime()).as("every topic read to its end").isLessThan(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null) {
            return false;
        }
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
