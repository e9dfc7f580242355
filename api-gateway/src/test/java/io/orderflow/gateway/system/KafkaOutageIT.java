package io.orderflow.gateway.system;

import java.util.Map;
import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.OrderTopic;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.infra.EmbeddedInfrastructure;
import io.orderflow.infra.kafka.KafkaCluster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store is the outbox: with the only broker down, checkouts still succeed, and once the broker is back
 * every accepted order is forwarded.
 */
class KafkaOutageIT extends EmbeddedSystemTest {

    private static final int ORDERS_DURING_OUTAGE = 20;

    @Autowired
    EmbeddedInfrastructure infrastructure;

    @Test
    void givenKafkaIsDown_whenOrdersArePlaced_thenAcceptedAndForwardedOnceKafkaReturns() throws Exception {
        KafkaCluster kafka = infrastructure.kafka().orElseThrow();
        Map<String, Object> inspector = kafka(KafkaPrincipal.INSPECTOR);
        kafka.setAutoRestart(false);
        try {
            kafka.kill(0);
            assertThat(kafka.isAlive(0)).isFalse();

            Set<String> accepted = new HashSet<>();
            long outageStart = System.nanoTime();
            for (int i = 0; i < ORDERS_DURING_OUTAGE; i++) {
                Http.Response response = http.postJson("/api/orders", Orders.oneBag());
                assertThat(response.status()).as(response.body()).isEqualTo(201);
                accepted.add(response.json().get("orderId").asText());
            }
            long acceptMillis = (System.nanoTime() - outageStart) / 1_000_000;
            Thread.sleep(2000); // let the publisher fail against the dead broker at least once

            long restartAt = System.nanoTime();
            kafka.startBroker(0);
            Set<String> forwarded = Set.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (!forwarded.containsAll(accepted) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                forwarded = OrderTopic.readAll(inspector, OrderEventsTopic.NAME).stream()
                        .map(OrderTopic.Record::key).collect(Collectors.toSet());
            }
            long drainMillis = (System.nanoTime() - restartAt) / 1_000_000;
            Set<String> missing = new HashSet<>(accepted);
            missing.removeAll(forwarded);

            System.out.printf("""
                    %n=== Kafka outage (the only broker killed with SIGKILL) ===
                    | figure | value |
                    | --- | --- |
                    | orders accepted while Kafka was down | %d of %d |
                    | time to accept them | %d ms |
                    | broker restart to all forwarded | %d ms |
                    | not forwarded | %d |%n""", accepted.size(), ORDERS_DURING_OUTAGE, acceptMillis,
                    drainMillis, missing.size());
            assertThat(missing).as("accepted during the outage but never forwarded").isEmpty();
        } finally {
            if (!kafka.isAlive(0)) {
                kafka.startBroker(0);
            }
            kafka.setAutoRestart(true);
        }
    }
}
