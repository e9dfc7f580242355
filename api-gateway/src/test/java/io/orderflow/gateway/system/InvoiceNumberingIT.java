package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.KafkaEndpoints;
import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.billing.api.InvoiceIssuedEvent;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.judge.ScenarioSize;
import io.orderflow.gateway.testkit.process.AppProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invoices across a crash (scenario S13): concurrent clients place orders against the packaged application; when
 * half are acknowledged the application is killed with SIGKILL and started again on the same data, and the clients
 * go on (an order whose answer was lost is placed again under its Idempotency-Key). In the end every order is
 * completed and has exactly one invoice, the invoice numbers of the year run from 1 without a gap and none twice,
 * and {@code orderflow.billing-events} carries exactly one invoice number per order.
 */
class InvoiceNumberingIT {

    private static final int CLIENTS = 8;
    private static final String SKU = "INVOICED-1";

    @Test
    void ordersPlacedAcrossAKill_eachHaveExactlyOneInvoice_andTheNumbersHaveNoGaps() throws Exception {
        int orders = ScenarioSize.pick(300, 1_000);
        Path home = Path.of("target", "invoices-" + UUID.randomUUID()).toAbsolutePath();
        try (AppProcess app = new AppProcess(AppProcess.developmentJar(), home, Map.of())) {
            app.start(Duration.ofSeconds(180));
            new Fulfillment(app.http()).stockNewSku(SKU, "3.00", orders);

            ConcurrentLinkedQueue<Placement> unplaced = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < orders; i++) {
                unplaced.add(new Placement("invoice-s13-" + i, Fulfillment.order(SKU, 1, "DE")));
            }
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger unanswered = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> place(app, unplaced, acknowledged, unanswered));
            }
            long started = System.nanoTime();
            while (acknowledged.size() < orders / 2) {
                Thread.sleep(20);
            }
            app.kill();
            int acknowledgedBeforeKill = acknowledged.size();
            Duration restart = app.start(Duration.ofSeconds(180));
            clients.shutdown();
            assertThat(clients.awaitTermination(10, TimeUnit.MINUTES)).as("every order placed").isTrue();
            assertThat(acknowledged).hasSize(orders);

            Properties endpoints = app.endpoints();
            Duration deadline = Duration.ofSeconds(120 + orders / 5);
            Map<String, Integer> states = awaitInvoiced(endpoints, acknowledged, deadline);
            Duration invoicedAfter = Duration.ofNanos(System.nanoTime() - started);

            Map<UUID, List<String>> invoicesByOrder = invoicesByOrder(endpoints);
            List<Integer> sequences = invoiceSequences(endpoints);
            Set<UUID> withoutInvoice = new HashSet<>(acknowledged);
            withoutInvoice.removeAll(invoicesByOrder.keySet());
            long invoicedTwice = invoicesByOrder.values().stream().filter(numbers -> numbers.size() > 1).count();
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, sequences.size()).boxed().toList();
            boolean gapless = sequences.equals(expected);

            Map<String, Set<String>> numbersOnTopic = numbersOnTopic(KafkaEndpoints.inspector(endpoints),
                    acknowledged.size());
            long ordersWithOtherThanOneNumberOnTopic = acknowledged.stream()
                    .filter(order -> numbersOnTopic.getOrDefault(order.toString(), Set.of()).size() != 1).count();
            boolean passed = withoutInvoice.isEmpty() && invoicedTwice == 0 && gapless
                    && sequences.size() == orders && ordersWithOtherThanOneNumberOnTopic == 0
                    && states.getOrDefault("INVOICED", 0) == orders;

            ScenarioReport.record(new ScenarioReport.Row("S13", "invoices across an application crash",
                    CLIENTS + " clients place orders; at half acknowledged the application JVM is killed (SIGKILL) "
                            + "and started again; lost answers are placed again under their Idempotency-Key",
                    orders, withoutInvoice.size(), invoicedTwice, "restart to healthy " + restart.toMillis() + " ms",
                    passed, "acknowledged before the kill " + acknowledgedBeforeKill + "; requests without an answer "
                            + unanswered.get() + "; invoices " + sequences.size() + ", numbers 1.."
                            + (sequences.isEmpty() ? 0 : sequences.get(sequences.size() - 1))
                            + (gapless ? " without a gap" : " WITH GAPS") + "; orders with other than one invoice "
                            + "number on orderflow.billing-events " + ordersWithOtherThanOneNumberOnTopic
                            + "; billing states " + states + "; all invoiced " + invoicedAfter.toSeconds()
                            + " s after the first order"));

            assertThat(withoutInvoice).as("acknowledged orders without an invoice").isEmpty();
            assertThat(invoicedTwice).as("orders invoiced more than once").isZero();
            assertThat(sequences).as("the year's invoice numbers").containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, orders).boxed().toList());
            assertThat(ordersWithOtherThanOneNumberOnTopic).as("orders without exactly one invoice number on the "
                    + "topic").isZero();
        }
    }

    private record Placement(String idempotencyKey, String body) {
    }

    /** Places orders until none are left; an order without an answer goes back into the queue. */
    private static void place(AppProcess app, ConcurrentLinkedQueue<Placement> unplaced, Set<UUID> acknowledged,
                              AtomicInteger unanswered) {
        Placement next;
        while ((next = unplaced.poll()) != null) {
            try {
                Http.Response placed = app.http().postJson("/api/orders", next.body(), "Idempotency-Key",
                        next.idempotencyKey());
                if (placed.status() == 201 || placed.status() == 200) {
                    acknowledged.add(UUID.fromString(placed.json().get("orderId").asText()));
                    continue;
                }
                unanswered.incrementAndGet();
            } catch (RuntimeException noAnswer) {
                // Killed, restarting (no port yet), or the connection dropped: try again later, same key.
                unanswered.incrementAndGet();
            }
            unplaced.add(next);
            sleep(200);
        }
    }

    /** Waits until every order's billing state is INVOICED, or the deadline; answers the states' counts. */
    private static Map<String, Integer> awaitInvoiced(Properties endpoints, Set<UUID> orders, Duration deadline)
            throws SQLException, InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        Map<String, Integer> states;
        do {
            states = new TreeMap<>();
            try (Connection db = connect(endpoints);
                 ResultSet rows = db.createStatement().executeQuery("select order_id, state from billing_order")) {
                int seen = 0;
                while (rows.next()) {
                    if (orders.contains(rows.getObject(1, UUID.class))) {
                        states.merge(rows.getString(2), 1, Integer::sum);
                        seen++;
                    }
                }
                if (seen == orders.size() && states.getOrDefault("INVOICED", 0) == orders.size()) {
                    return states;
                }
            }
            Thread.sleep(500);
        } while (System.nanoTime() < until);
        return states;
    }

    private static Map<UUID, List<String>> invoicesByOrder(Properties endpoints) throws SQLException {
        Map<UUID, List<String>> byOrder = new HashMap<>();
        try (Connection db = connect(endpoints);
             ResultSet rows = db.createStatement().executeQuery(
                     "select order_id, number from billing_document where kind = 'INVOICE'")) {
            while (rows.next()) {
                byOrder.computeIfAbsent(rows.getObject(1, UUID.class), order -> new ArrayList<>())
                        .add(rows.getString(2));
            }
        }
        return byOrder;
    }

    /** The invoice numbers' sequences of the current year, in order (the home is fresh: all are this test's). */
    private static List<Integer> invoiceSequences(Properties endpoints) throws SQLException {
        List<Integer> sequences = new ArrayList<>();
        try (Connection db = connect(endpoints);
             PreparedStatement select = db.prepareStatement("select sequence from billing_document "
                     + "where series = 'INV' order by year, sequence")) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sequences.add(rows.getInt(1));
                }
            }
        }
        return sequences;
    }

    /**
     * The invoice numbers on {@code orderflow.billing-events} per order key. A record may be there twice (the
     * publisher is at least once, and consumers drop a repeated message id); a second number would be a second
     * invoice.
     */
    private static Map<String, Set<String>> numbersOnTopic(Map<String, Object> inspector, int orders) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Set<String>> byOrder;
        do {
            byOrder = OrderTopic.readAll(inspector, BillingEventsTopic.NAME).stream()
                    .filter(r -> InvoiceIssuedEvent.class.getName().equals(r.headers().get("axon-message-type")))
                    .collect(Collectors.groupingBy(OrderTopic.Record::key, Collectors.mapping(
                            r -> r.value().replaceAll(".*\"number\":\"([^\"]+)\".*", "$1"), Collectors.toSet())));
            if (byOrder.size() >= orders) {
                return byOrder;
            }
            Thread.sleep(1_000);
        } while (System.nanoTime() < until);
        return byOrder;
    }

    private static Connection connect(Properties endpoints) throws SQLException {
        return DriverManager.getConnection(endpoints.getProperty("jdbc.url"), endpoints.getProperty("jdbc.username"),
                endpoints.getProperty("jdbc.password"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
