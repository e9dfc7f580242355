package io.orderflow.gateway.system;

import io.orderflow.infra.kafka.Topics;
import io.orderflow.infra.mail.SmtpServer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The checker of SCENARIOS.md: once the system is quiet, it joins by order id and event id what the API
 * acknowledged (A), the events in the store (E), the records on the order topic (K), the order summaries (P) and
 * the business effects (X: charges in the payment ledger, stock reservations, shipments, emails per event), and
 * reports lost = A−E, publish-lost = E−K, projection-lost = E−P, duplicated effects (any count above 1 in X), and
 * the duplicates on the topic (allowed: delivery is at least once).
 */
public final class ScenarioChecker {

    private final JdbcTemplate jdbc;
    private final String bootstrapServers;
    private final SmtpServer smtp;

    public ScenarioChecker(JdbcTemplate jdbc, String bootstrapServers, SmtpServer smtp) {
        this.jdbc = jdbc;
        this.bootstrapServers = bootstrapServers;
        this.smtp = smtp;
    }

    /** The checker's figures. */
    public record Report(int acknowledged, Set<UUID> lost, Set<UUID> publishLost, Set<UUID> projectionLost,
                         Map<String, Set<UUID>> duplicatedEffects, int duplicatesOnTopic) {

        public boolean clean() {
            return lost.isEmpty() && publishLost.isEmpty() && projectionLost.isEmpty()
                    && duplicatedEffects.values().stream().allMatch(Set::isEmpty);
        }

        /** One Markdown table row: acknowledged, lost, publish-lost, projection-lost, duplicated effects. */
        public String row() {
            long duplicated = duplicatedEffects.values().stream().mapToLong(Set::size).sum();
            return "| " + acknowledged + " | " + lost.size() + " | " + publishLost.size() + " | "
                    + projectionLost.size() + " | " + duplicated + " | " + duplicatesOnTopic + " |";
        }

        public static String header() {
            return "| acknowledged | lost | publish-lost | projection-lost | duplicated effects | duplicates on topic |"
                    + "%n| ---: | ---: | ---: | ---: | ---: | ---: |".formatted();
        }
    }

    public Report check(Collection<UUID> acknowledgedOrders) {
        Set<UUID> acknowledged = new HashSet<>(acknowledgedOrders);
        Map<UUID, String> acceptedEventIds = new HashMap<>();
        jdbc.query("SELECT aggregate_identifier, event_identifier FROM domain_event_entry "
                        + "WHERE payload_type = 'io.orderflow.order.api.OrderAcceptedEvent'",
                row -> {
                    UUID orderId = UUID.fromString(row.getString(1));
                    if (acknowledged.contains(orderId)) {
                        acceptedEventIds.put(orderId, row.getString(2));
                    }
                });
        Set<UUID> lost = acknowledged.stream().filter(id -> !acceptedEventIds.containsKey(id))
                .collect(Collectors.toSet());

        Map<String, Long> onTopic = OrderTopic.readAll(bootstrapServers, Topics.ORDER_EVENTS).stream()
                .collect(Collectors.groupingBy(OrderTopic.Record::messageId, Collectors.counting()));
        Set<UUID> publishLost = acceptedEventIds.entrySet().stream()
                .filter(entry -> !onTopic.containsKey(entry.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        int duplicatesOnTopic = (int) acceptedEventIds.values().stream()
                .mapToLong(eventId -> Math.max(0, onTopic.getOrDefault(eventId, 0L) - 1)).sum();

        Set<UUID> summarized = new HashSet<>(jdbc.queryForList("SELECT order_id FROM order_summary WHERE generation = "
                + "(SELECT served FROM projection_generation WHERE projection = 'order-summary')", UUID.class));
        Set<UUID> projectionLost = acceptedEventIds.keySet().stream().filter(id -> !summarized.contains(id))
                .collect(Collectors.toSet());

        Map<String, Set<UUID>> duplicated = new LinkedHashMap<>();
        duplicated.put("charges", above1("SELECT order_id::uuid, count(*) FROM payment_simulator_ledger "
                + "WHERE status = 'AUTHORIZED' GROUP BY order_id", acknowledged));
        duplicated.put("stock reservations", above1("SELECT order_id, count(*) FROM stock_reservation "
                + "GROUP BY order_id", acknowledged));
        duplicated.put("shipments", above1("SELECT order_id, count(*) FROM shipment GROUP BY order_id",
                acknowledged));
        duplicated.put("emails", duplicateEmails(acknowledged));
        return new Report(acknowledged.size(), lost, publishLost, projectionLost, duplicated, duplicatesOnTopic);
    }

    private Set<UUID> above1(String sql, Set<UUID> orders) {
        Set<UUID> found = new HashSet<>();
        jdbc.query(sql, row -> {
            UUID orderId = row.getObject(1, UUID.class);
            if (orders.contains(orderId) && row.getLong(2) > 1) {
                found.add(orderId);
            }
        });
        return found;
    }

    /** Orders with an event that was emailed more than once (mails carry the event id and order id headers). */
    private Set<UUID> duplicateEmails(Set<UUID> orders) {
        if (smtp == null) {
            return Set.of();
        }
        Map<String, Integer> perEvent = new HashMap<>();
        Map<String, UUID> orderOfEvent = new HashMap<>();
        smtp.received().forEach(message -> {
            try {
                String[] event = message.getHeader("X-Orderflow-Event-Id");
                String[] order = message.getHeader("X-Orderflow-Order-Id");
                if (event != null && order != null && orders.contains(UUID.fromString(order[0]))) {
                    perEvent.merge(event[0], 1, Integer::sum);
                    orderOfEvent.put(event[0], UUID.fromString(order[0]));
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        return perEvent.entrySet().stream().filter(entry -> entry.getValue() > 1)
                .map(entry -> orderOfEvent.get(entry.getKey())).collect(Collectors.toSet());
    }
}
