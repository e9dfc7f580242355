package io.orderflow.gateway.testkit.judge;

import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.order.api.OrderEventsTopic;
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
 * The checker of docs/failure-scenarios.md: once the system is quiet, it joins by order id and event id what the
 * API acknowledged (A), the events in the store (E), the records on the order topic (K), the order summaries (P) and
 * the business effects (X: charges in the payment ledger, stock reservations, shipments, emails per event), and
 * reports lost = A−E, publish-lost = E−K, projection-lost = E−P, duplicated effects (any count above 1 in X), and
 * the duplicates on the topic (allowed: delivery is at least once).
 */
public final class ScenarioChecker {

    private final JdbcTemplate jdbc;
    private final Map<String, Object> kafkaReader;
    private final SmtpServer smtp;

    /**
     * @param kafkaReader a Kafka client's settings that may read the order topic (the bootstrap servers and, on a
     *                    secured cluster, a principal's credentials)
     */
    public ScenarioChecker(JdbcTemplate jdbc, Map<String, Object> kafkaReader, SmtpServer smtp) {
        this.jdbc = jdbc;
        this.kafkaReader = Map.copyOf(kafkaReader);
        this.smtp = smtp;
    }

    /** The checker's figures. */
    public record Report(int acknowledged, Set<UUID> lost, Set<UUID> publishLost, Set<UUID> projectionLost,
                         Map<String, Set<UUID>> duplicatedEffects, int duplicatesOnTopic, int indeterminate,
                         Set<UUID> recovered) {

        /** Acknowledged orders missing anywhere along store, topic and projection. */
        public long lostAnywhere() {
            Set<UUID> missing = new HashSet<>(lost);
            missing.addAll(publishLost);
            missing.addAll(projectionLost);
            return missing.size();
        }

        /** Orders with a business effect that happened more than once. */
        public long duplicated() {
            return duplicatedEffects.values().stream().flatMap(Set::stream).distinct().count();
        }

        /** The checker's figures in words, for a report row. */
        public String summary() {
            return "acknowledged " + acknowledged + "; lost " + lost.size() + ", publish-lost " + publishLost.size()
                    + ", projection-lost " + projectionLost.size() + "; duplicates on topic " + duplicatesOnTopic
                    + " (absorbed); indeterminate " + indeterminate + ", recovered " + recovered.size();
        }

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
        return check(acknowledgedOrders, Set.of());
    }

    /**
     * Judges the acknowledged orders, and the requests that got no answer ({@code indeterminateKeys}, their
     * Idempotency-Keys): those whose order is in the store are recovered, and are judged downstream like the
     * acknowledged ones.
     */
    public Report check(Collection<UUID> acknowledgedOrders, Collection<String> indeterminateKeys) {
        Map<UUID, String> storedEventIds = new HashMap<>();
        jdbc.query("SELECT aggregate_identifier, event_identifier FROM domain_event_entry "
                        + "WHERE payload_type = 'io.orderflow.order.api.OrderAcceptedEvent'",
                row -> {
                    storedEventIds.put(UUID.fromString(row.getString(1)), row.getString(2));
                });
        Set<UUID> recovered = new HashSet<>();
        for (String key : indeterminateKeys) {
            jdbc.query("SELECT order_id FROM idempotency_key WHERE idempotency_key = ?",
                    row -> {
                        UUID orderId = row.getObject(1, UUID.class);
                        if (storedEventIds.containsKey(orderId)) {
                            recovered.add(orderId);
                        }
                    }, key);
        }
        Set<UUID> acknowledged = new HashSet<>(acknowledgedOrders);
        Set<UUID> lost = acknowledged.stream().filter(id -> !storedEventIds.containsKey(id))
                .collect(Collectors.toSet());
        acknowledged.addAll(recovered);
        Map<UUID, String> acceptedEventIds = new HashMap<>();
        acknowledged.forEach(id -> {
            if (storedEventIds.containsKey(id)) {
                acceptedEventIds.put(id, storedEventIds.get(id));
            }
        });

        Map<String, Long> onTopic = OrderTopic.readAll(kafkaReader, OrderEventsTopic.NAME).stream()
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
        duplicated.put("charges", above1("SELECT order_id::uuid, count(*) FROM payment_simulator.ledger "
                + "WHERE status = 'AUTHORIZED' GROUP BY order_id", acknowledged));
        duplicated.put("stock reservations", above1("SELECT order_id, count(*) FROM stock_reservation "
                + "GROUP BY order_id", acknowledged));
        duplicated.put("shipments", above1("SELECT order_id, count(*) FROM shipment GROUP BY order_id",
                acknowledged));
        duplicated.put("emails", duplicateEmails(acknowledged));
        return new Report(acknowledgedOrders.size(), lost, publishLost, projectionLost, duplicated,
                duplicatesOnTopic, indeterminateKeys.size(), recovered);
    }

    /**
     * Waits until every one of the orders has a terminal status in the served order summary (each saga has ended),
     * and answers the orders per end state; fails the test with the stragglers' statuses if they do not end in time.
     */
    public Map<String, Integer> awaitEnded(Collection<UUID> orders, java.time.Duration timeout) {
        UUID[] ids = orders.toArray(UUID[]::new);
        Map<String, Integer> states = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            states.clear();
            jdbc.query("SELECT status, count(*) FROM order_summary WHERE order_id = ANY(?) AND generation = "
                            + "(SELECT served FROM projection_generation WHERE projection = 'order-summary') "
                            + "GROUP BY status",
                    row -> {
                        states.put(row.getString(1), row.getInt(2));
                    }, (Object) ids);
            int ended = states.entrySet().stream().filter(e -> Fulfillment.TERMINAL.contains(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            if (ended == ids.length) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(ids.length - ended + " of " + ids.length + " orders did not end within "
                        + timeout + "; statuses " + states);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
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
