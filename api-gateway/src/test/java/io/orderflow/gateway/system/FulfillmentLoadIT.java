package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.client.FulfillmentLoad;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders over a few hot SKUs from 8 concurrent clients, with less stock than orders: no oversell, stock conserved,
 * every order COMPLETED or FAILED. The CI size; {@code FulfillmentBenchmark} runs the 1,000 orders.
 */
class FulfillmentLoadIT extends EmbeddedSystemTest {

    @Test
    void concurrentOrdersOnHotSkus_neverOversell_conserveStock_andAllEnd() {
        FulfillmentLoad.Result result = FulfillmentLoad.run(http, jdbc, 150, 8, 5, 25);

        assertThat(result.completed()).isEqualTo(125);
        assertThat(result.failed()).isEqualTo(25);
    }
}
