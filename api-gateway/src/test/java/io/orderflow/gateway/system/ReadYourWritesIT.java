package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Orders;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads with {@code minVersion} (read-your-writes) wait for the projection's change notice, not by polling, and
 * hold no request thread while they wait: a version just written is read at once, a version never reached is
 * answered stale at the deadline, and hundreds of waiting reads leave the server free for other requests.
 */
class ReadYourWritesIT extends EmbeddedSystemTest {

    @Test
    void givenAnOrderJustPlaced_whenReadWithItsVersion_thenTheAnswerIsThatVersion_notStale() {
        Fulfillment fulfillment = new Fulfillment(http);
        UUID orderId = fulfillment.place(Orders.oneBag());

        long started = System.nanoTime();
        Http.Response read = http.get("/api/orders/" + orderId + "?minVersion=0");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("X-Orderflow-Stale")).isNull();
        assertThat(read.json().get("version").asLong()).isGreaterThanOrEqualTo(0);
        System.out.printf("read-your-writes: an order read with minVersion=0 right after its placement answered in "
                + "%d ms%n", millis);
    }

    @Test
    void givenManyReadsWaitingForAVersionNeverReached_thenOtherRequestsAreServed_andEachIsAnsweredStale()
            throws Exception {
        Fulfillment fulfillment = new Fulfillment(http);
        UUID orderId = fulfillment.place(Orders.oneBag());
        fulfillment.awaitEnd(orderId);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest waiting = HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/orders/" + orderId
                        + "?minVersion=99"))
                .header("Authorization", "Bearer " + http.token()).timeout(Duration.ofSeconds(60)).GET().build();

        int readers = 300;
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        // In waves no larger than the request bulkhead (32 at once), which would otherwise answer some 503.
        for (int i = 0; i < readers; i++) {
            answers.add(client.sendAsync(waiting, HttpResponse.BodyHandlers.ofString()));
            if (i % 25 == 24) {
                Thread.sleep(60);
            }
        }
        // More readers wait than Tomcat has threads (200): had each held one, this read would wait its turn.
        Thread.sleep(1000);
        long otherStarted = System.nanoTime();
        Http.Response other = http.get("/api/catalogue");
        long otherMillis = (System.nanoTime() - otherStarted) / 1_000_000;
        assertThat(other.status()).isEqualTo(200);
        assertThat(otherMillis).as("another read while %d reads wait, ms", readers).isLessThan(2500);
        assertThat(answers.stream().filter(CompletableFuture::isDone).map(answer -> answer.join().statusCode()
                + " " + answer.join().body()).toList()).as("waiting reads answered before their deadline").isEmpty();

        Map<String, Integer> outcomes = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            String outcome = response.statusCode() + (response.headers().firstValue("X-Orderflow-Stale")
                    .map(stale -> " stale").orElse(""));
            outcomes.merge(outcome, 1, Integer::sum);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("read-your-writes: %d reads waiting for a version never reached answered %s after %.1f s; "
                + "another read meanwhile took %d ms%n", readers, outcomes, seconds, otherMillis);
        assertThat(outcomes).isEqualTo(Map.of("200 stale", readers));
    }
}
