package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-caller rate limits on writes: a customer who sends a burst of writes gets {@code 429} with
 * {@code Retry-After} for those over the limit (20 per second by default), while another customer writes as usual
 * and the first one's reads still answer; after the time it was told, the first customer writes again.
 */
class RateLimitIT extends EmbeddedSystemTest {

    private static final String ADDRESS = "{\"street\": \"Unter den Linden 1\", \"city\": \"Berlin\", "
            + "\"postalCode\": \"10117\", \"country\": \"DE\"}";

    @Test
    void givenACustomerSendingABurstOfWrites_thenThoseOverTheLimitAre429UntilRetryAfter() throws Exception {
        Operations operations = new Operations(http);
        UUID greedy = operations.registerCustomer("Greedy Gus", "gus-" + UUID.randomUUID() + "@example.com");
        UUID calm = operations.registerCustomer("Calm Carla", "carla-" + UUID.randomUUID() + "@example.com");
        Http asGreedy = http.as(tokens.asCustomer(greedy));
        Http asCalm = http.as(tokens.asCustomer(calm));
        String path = "/api/customers/" + greedy + "/billing-address";

        List<Http.Response> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            List<Future<Http.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                burst.add(pool.submit(() -> asGreedy.put(path, ADDRESS)));
            }
            for (Future<Http.Response> answer : burst) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<Integer, Integer> byStatus = new TreeMap<>();
        answers.forEach(answer -> byStatus.merge(answer.status(), 1, Integer::sum));
        System.out.printf("rate limit: a burst of 80 writes by one customer in %.2f s answered %s%n", seconds,
                byStatus);

        assertThat(byStatus.keySet()).as("statuses of the burst").containsOnly(200, 429);
        assertThat(byStatus.get(429)).as("writes refused").isNotNull();
        // At most the limit per started second, and at least the first second's worth.
        assertThat(byStatus.get(200)).as("writes done").isBetween(20, 20 * ((int) Math.ceil(seconds) + 1));
        Http.Response refused = answers.stream().filter(answer -> answer.status() == 429).findFirst().orElseThrow();
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asText()).isEqualTo("/problems/rate-limited");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).as("Retry-After, seconds").isBetween(1L, 2L);

        // Another caller is not held back, nor are the first one's reads.
        assertThat(asCalm.put("/api/customers/" + calm + "/billing-address", ADDRESS).status()).isEqualTo(200);
        assertThat(asGreedy.get("/api/customers/" + greedy).status()).isEqualTo(200);

        Thread.sleep(retryAfter * 1000);
        Http.Response again = asGreedy.put(path, ADDRESS);
        assertThat(again.status()).as("a write after Retry-After: " + again.body()).isEqualTo(200);
    }
}
