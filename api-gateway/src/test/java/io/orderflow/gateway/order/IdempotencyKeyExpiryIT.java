package io.orderflow.gateway.order;

import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** An Idempotency-Key expires after its time to live (24 hours by default): the purge removes it, and the key is new. */
class IdempotencyKeyExpiryIT extends EmbeddedSystemTest {

    @Autowired
    IdempotentOrderPlacement placement;

    @Test
    void aKeyOlderThanItsTimeToLiveIsPurged_andThenPlacesANewOrder() {
        String key = "expiring-" + UUID.randomUUID();
        String body = Orders.oneBag();
        Http.Response first = http.postJson("/api/orders", body, "Idempotency-Key", key);
        String fresh = "fresh-" + UUID.randomUUID();
        assertThat(http.postJson("/api/orders", Orders.oneBag(), "Idempotency-Key", fresh).status()).isEqualTo(201);
        jdbc.update("UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE idempotency_key = ?",
                key);

        placement.purgeExpired();
        Http.Response afterExpiry = http.postJson("/api/orders", body, "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(afterExpiry.status()).isEqualTo(201);
        assertThat(afterExpiry.json().get("orderId")).as("a new order: the key had expired")
                .isNotEqualTo(first.json().get("orderId"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?", Long.class,
                fresh)).as("a key within its time to live stays").isEqualTo(1);
    }
}
