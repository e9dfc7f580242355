package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.order.api.OrderEventsTopic;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.infra.mail.SmtpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications and analytics, fed from Kafka, on the real SMTP server, PostgreSQL and Kafka: one email per fact,
 * also when Kafka delivers a record twice, and nothing lost or doubled across a consumer outage (scenario S1 for
 * the notification and analytics consumers).
 */
class NotificationsIT extends EmbeddedSystemTest {

    @Autowired
    SmtpServer smtp;


    private Operations operations;
    private Fulfillment fulfillment;

    @BeforeEach
    void setUp() {
        operations = new Operations(http);
        fulfillment = new Fulfillment(http);
    }

    @Test
    void givenACompletedOrder_thenTheCustomerGotOneEmailPerFactAndAnalyticsCountedIt() {
        UUID customer = operations.registerCustomer("Grace Hopper", "grace-" + UUID.randomUUID() + "@example.com");
        UUID orderId = fulfillment.place(Operations.orderFor(customer, "SKU-1", 1, "DE"));
        assertThat(fulfillment.awaitEnd(orderId).get("status").asText()).isEqualTo("COMPLETED");

        List<JsonNode> sent = operations.awaitNotifications(orderId, Duration.ofSeconds(30),
                "ORDER_ACCEPTED", "ORDER_SHIPPED");
        for (JsonNode notification : sent) {
            assertThat(notification.get("status").asText()).isEqualTo("SENT");
            assertThat(notification.get("recipient").asText()).startsWith("grace-");
            assertThat(smtp.receivedWithHeader("X-Orderflow-Event-Id", notification.get("eventId").asText()))
                    .as("emails for event %s", notification.get("eventId")).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(analyticsRow(orderId))
                .containsEntry("accepted", true).containsEntry("completed", true).containsEntry("shipped", true));
        JsonNode summary = operations.analytics();
        assertThat(summary.get("ordersCompleted").asLong()).isPositive();
        assertThat(summary.get("revenueByCurrency").get("EUR").asText()).matches("\\d+\\.\\d{2}");
        assertThat(summary.get("leadTime").get("completedOrders").asLong()).isPositive();
    }

    /**
     * A notification recorded but not sent (its mail failed, or the process stopped between the commit and the
     * send) is sent by the retrier once its time has come, once.
     */
    @Test
    void givenANotificationLeftPending_thenTheRetrierSendsItOnce_andMarksItSent() {
        UUID customer = UUID.randomUUID();
        UUID order = UUID.randomUUID();
        String eventId = "pending-" + UUID.randomUUID();
        jdbc.update("INSERT INTO notification_recipient (customer_id, name, email) VALUES (?, 'Radia Perlman', ?)",
                customer, "radia-" + customer + "@example.com");
        jdbc.update("INSERT INTO notification (event_id, order_id, customer_id, type, status, recipient, subject, "
                + "created_at, next_attempt_at, last_error) VALUES (?, ?, ?, 'ORDER_ACCEPTED', 'PENDING', ?, "
                + "'Your order was accepted', now() - interval '1 minute', now() - interval '1 second', "
                + "'connection refused')", eventId, order, customer, "radia-" + customer + "@example.com");

        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(jdbc.queryForObject(
                "SELECT status FROM notification WHERE event_id = ?", String.class, eventId)));
        assertThat(smtp.receivedWithHeader("X-Orderflow-Event-Id", eventId)).hasSize(1);
        var row = jdbc.queryForMap("SELECT attempts, last_error, sent_at FROM notification WHERE event_id = ?",
                eventId);
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("last_error")).isNull();
        assertThat(row.get("sent_at")).isNotNull();

        // Later rounds of the retrier leave a sent notification alone.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                smtp.receivedWithHeader("X-Orderflow-Event-Id", eventId).size() == 1);
    }

    @Test
    void givenTheSameRecordDeliveredTwice_thenOneEmail() throws Exception {
        UUID customer = operations.registerCustomer("Alan Turing", "alan-" + UUID.randomUUID() + "@example.com");
        UUID orderId = fulfillment.place(Operations.orderFor(customer, "SKU-2", 1, "DE"));
        String eventId = operations.awaitNotification(orderId, Duration.ofSeconds(30), "ORDER_ACCEPTED")
                .get("eventId").asText();

        OrderTopic.Record accepted = OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), OrderEventsTopic.NAME).stream()
                .filter(record -> eventId.equals(record.messageId())).findFirst().orElseThrow();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            ProducerRecord<String, byte[]> again = new ProducerRecord<>(OrderEventsTopic.NAME, accepted.partition(),
                    accepted.key(), accepted.value().getBytes(StandardCharsets.UTF_8));
            accepted.headers().forEach((name, value) -> again.headers().add(name,
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
            producer.send(again).get();
        }
        long redelivered = OrderTopic.readAll(kafka(KafkaPrincipal.INSPECTOR), OrderEventsTopic.NAME).stream()
                .filter(record -> eventId.equals(record.messageId())).count();
        assertThat(redelivered).as("records of event %s on the topic", eventId).isGreaterThanOrEqualTo(2);

        operations.awaitCaughtUp("notifications", Duration.ofSeconds(30));
        operations.awaitCaughtUp("analytics", Duration.ofSeconds(30));
        assertThat(operations.notifications(orderId).stream()
                .filter(notification -> notification.get("type").asText().equals("ORDER_ACCEPTED"))).hasSize(1);
        assertThat(smtp.receivedWithHeader("X-Orderflow-Event-Id", eventId)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM analytics_order WHERE order_id = ?", Long.class,
                orderId)).isEqualTo(1);
        System.out.printf("%n=== Redelivered Kafka record: event %s on the topic %d times, emails sent: %d ===%n",
                eventId, redelivered, smtp.receivedWithHeader("X-Orderflow-Event-Id", eventId).size());
    }

    @Test
    void givenNotificationsAndAnalyticsStopped_whenOrdersArePlaced_thenAfterRestartEachIsCountedAndNotifiedOnce() {
        UUID customer = operations.registerCustomer("Edsger Dijkstra", "edsger-" + UUID.randomUUID() + "@example.com");
        int mailsBefore = smtp.received().size();
        operations.pause("notifications");
        operations.pause("analytics");
        List<UUID> orders = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                orders.add(fulfillment.place(Operations.orderFor(customer, "SKU-3", 1, "DE")));
            }
            for (UUID orderId : orders) {
                assertThat(fulfillment.awaitEnd(orderId).get("status").asText()).isEqualTo("COMPLETED");
                assertThat(operations.notifications(orderId)).as("notified while stopped").isEmpty();
            }
        } finally {
            operations.resume("notifications");
            operations.resume("analytics");
        }
        long resumed = System.nanoTime();
        long peakNotificationLag = operations.awaitCaughtUp("notifications", Duration.ofSeconds(60));
        long peakAnalyticsLag = operations.awaitCaughtUp("analytics", Duration.ofSeconds(60));
        long catchUpMillis = Duration.ofNanos(System.nanoTime() - resumed).toMillis();

        int emails = 0;
        for (UUID orderId : orders) {
            List<JsonNode> sent = operations.awaitNotifications(orderId, Duration.ofSeconds(30),
                    "ORDER_ACCEPTED", "ORDER_SHIPPED");
            for (JsonNode notification : sent) {
                emails += smtp.receivedWithHeader("X-Orderflow-Event-Id", notification.get("eventId").asText())
                        .size();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(analyticsRow(orderId))
                    .containsEntry("rows", 1L).containsEntry("accepted", true).containsEntry("completed", true));
        }
        assertThat(emails).as("one email per fact").isEqualTo(2 * orders.size());
        System.out.printf("%n=== S1 (notification and analytics consumers stopped): %d orders, emails %d "
                        + "(expected %d), new mails on the server %d, peak lag %d / %d records, caught up in %d ms ===%n",
                orders.size(), emails, 2 * orders.size(), smtp.received().size() - mailsBefore, peakNotificationLag,
                peakAnalyticsLag, catchUpMillis);
    }

    private Map<String, Object> analyticsRow(UUID orderId) {
        return jdbc.queryForMap("SELECT count(*) AS rows, bool_and(accepted_at IS NOT NULL) AS accepted, "
                + "bool_and(completed_at IS NOT NULL) AS completed, bool_and(shipped_at IS NOT NULL) AS shipped "
                + "FROM analytics_order WHERE order_id = ? AND generation = "
                + "(SELECT served FROM projection_generation WHERE projection = 'analytics')", orderId);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        // Writes the order topic as the application's own principal, the only one that may.
        properties.putAll(kafka(KafkaPrincipal.APP));
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
