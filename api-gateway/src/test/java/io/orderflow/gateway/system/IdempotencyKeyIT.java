package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on {@code POST /api/orders}: one order per key, whatever the repeats.
 */
class IdempotencyKeyIT extends EmbeddedSystemTest {

    @Test
    void givenTheSameKeyAndBody_whenSentTwice_thenTheOriginalAnswerAndOneOrder() {
        String key = "key-" + UUID.randomUUID();
        String body = Orders.twoBeansAndAMug(UUID.randomUUID());

        Http.Response first = http.postJson("/api/orders", body, "Idempotency-Key", key);
        Http.Response second = http.postJson("/api/orders", body, "Idempotency-Key", key);

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(acceptancesOf(first.json().get("orderId").asText())).isEqualTo(1);
    }

    /** A key is its sender's: another caller with the same key places their own order, and learns nothing. */
    @Test
    void givenTwoCustomersChoosingTheSameKey_thenEachPlacesTheirOwnOrder() {
        String key = "checkout-1";
        Http ada = http.as(tokens.asCustomer(UUID.randomUUID()));
        Http grace = http.as(tokens.asCustomer(UUID.randomUUID()));

        Http.Response adas = ada.postJson("/api/orders", Orders.withoutCustomer("SKU-1", 1), "Idempotency-Key", key);
        Http.Response graces = grace.postJson("/api/orders", Orders.withoutCustomer("SKU-2", 3), "Idempotency-Key",
                key);
        Http.Response adasAgain = ada.postJson("/api/orders", Orders.withoutCustomer("SKU-1", 1), "Idempotency-Key",
                key);

        assertThat(adas.status()).as(adas.body()).isEqualTo(201);
        assertThat(graces.status()).as("the same key, another caller: not a reuse").isEqualTo(201);
        assertThat(graces.json().get("orderId")).isNotEqualTo(adas.json().get("orderId"));
        assertThat(adasAgain.json().get("orderId")).isEqualTo(adas.json().get("orderId"));
    }

    @Test
    void givenAKeyUsedOnce_whenSentWithAnotherBody_then422AndNothingNew() {
        String key = "key-" + UUID.randomUUID();
        assertThat(http.postJson("/api/orders", Orders.oneBag(), "Idempotency-Key", key).status()).isEqualTo(201);
        long before = storedEvents();

        Http.Response reused = http.postJson("/api/orders", Orders.oneBag(), "Idempotency-Key", key);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void givenTenConcurrentRequestsWithOneKey_thenAllGetTheSameOrderAndOnlyOneExists() throws Exception {
        String key = "key-" + UUID.randomUUID();
        String body = Orders.twoBeansAndAMug(UUID.randomUUID());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return http.postJson("/api/orders", body, "Idempotency-Key", key);
            }));
        }
        start.countDown();
        List<Http.Response> responses = new ArrayList<>();
        for (Future<Http.Response> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(201));
        Set<String> orderIds = responses.stream().map(r -> r.json().get("orderId").asText())
                .collect(Collectors.toSet());
        assertThat(orderIds).hasSize(1);
        assertThat(acceptancesOf(orderIds.iterator().next())).isEqualTo(1);
    }

    @Test
    void givenARefusedBody_thenTheKeyIsNotUsedUp_andAMalformedKeyIs400() {
        String key = "key-" + UUID.randomUUID();
        String stalePrice = """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1, "unitPrice": "1.00"}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), Orders.HOME);

        assertThat(http.postJson("/api/orders", stalePrice, "Idempotency-Key", key).status()).isEqualTo(409);
        assertThat(http.postJson("/api/orders", Orders.oneBag(), "Idempotency-Key", key).status()).isEqualTo(201);
        Http.Response malformed = http.postJson("/api/orders", Orders.oneBag(), "Idempotency-Key", "x".repeat(201));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    }

    private long acceptancesOf(String orderId) {
        // The acceptance only: fulfillment adds the order's later events at its own pace.
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type = 'io.orderflow.order.api.OrderAcceptedEvent'", Long.class, orderId);
    }
}
