package io.orderflow.infra.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orderflow.infra.payment.LedgerEntry.Status;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The simulator over HTTP, on a real PostgreSQL, as the application's client sees it. */
class PaymentProviderSimulatorIT {

    @TempDir
    static Path dir;

    private static EmbeddedPostgresServer postgres;
    private static PGSimpleDataSource dataSource;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private PaymentProviderSimulator simulator;

    @BeforeAll
    static void startPostgres() {
        postgres = new EmbeddedPostgresServer(dir.resolve("postgres"), 0);
        postgres.start();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
    }

    @AfterAll
    static void stopPostgres() {
        postgres.stop();
    }

    @BeforeEach
    void startSimulator() {
        simulator = new PaymentProviderSimulator(dataSource).start(0);
    }

    @AfterEach
    void stopSimulator() {
        simulator.stop();
    }

    @Test
    void givenSmallAmount_whenAuthorize_thenAuthorizedAndRecorded() throws Exception {
        String key = newKey();

        HttpResponse<String> response = authorize(key, "order-1", "12.34", "EUR");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode entry = json.readTree(response.body());
        assertThat(entry.get("idempotencyKey").asText()).isEqualTo(key);
        assertThat(entry.get("orderId").asText()).isEqualTo("order-1");
        assertThat(entry.get("amount").asText()).isEqualTo("12.34");
        assertThat(entry.get("currency").asText()).isEqualTo("EUR");
        assertThat(entry.get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(entry.get("at").asText()).isNotBlank();
        assertThat(get("/v1/authorizations/" + key).body()).isEqualTo(response.body());
    }

    @Test
    void givenAmountOfTenThousand_whenAuthorize_thenDeclined_andJustBelowIsAuthorized() throws Exception {
        assertThat(status(authorize(newKey(), "order-big", "10000.00", "EUR"))).isEqualTo("DECLINED");
        assertThat(status(authorize(newKey(), "order-big", "9999.99", "EUR"))).isEqualTo("AUTHORIZED");
    }

    @Test
    void givenAuthorizedKey_whenSameRequestAgain_thenOriginalEntryAndNoSecondCharge() throws Exception {
        String key = newKey();
        HttpResponse<String> first = authorize(key, "order-2", "19.99", "EUR");

        HttpResponse<String> second = authorize(key, "order-2", "19.99", "EUR");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(simulator.ledger("order-2")).hasSize(1);
    }

    @Test
    void givenTwentyConcurrentRequestsWithOneKey_thenOneLedgerEntryAndEveryoneSeesIt() throws Exception {
        String key = newKey();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> authorize(key, "order-race", "5.00", "EUR"));
            }
            List<String> bodies = new ArrayList<>();
            for (Future<HttpResponse<String>> result : pool.invokeAll(calls)) {
                assertThat(result.get().statusCode()).isEqualTo(200);
                bodies.add(result.get().body());
            }
            assertThat(bodies).containsOnly(bodies.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(simulator.ledger("order-race")).singleElement()
                .satisfies(entry -> assertThat(entry.status()).isEqualTo(Status.AUTHORIZED));
    }

    @Test
    void givenUsedKey_whenOtherAmountCurrencyOrOrder_then422AndNothingChanges() throws Exception {
        String key = newKey();
        authorize(key, "order-3", "10.00", "EUR");

        assertThat(authorize(key, "order-3", "10.01", "EUR").statusCode()).isEqualTo(422);
        assertThat(authorize(key, "order-3", "10.00", "USD").statusCode()).isEqualTo(422);
        HttpResponse<String> otherOrder = authorize(key, "order-4", "10.00", "EUR");
        assertThat(otherOrder.statusCode()).isEqualTo(422);
        assertThat(otherOrder.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(simulator.ledger("order-4")).isEmpty();
        assertThat(simulator.ledger("order-3")).singleElement()
                .satisfies(entry -> assertThat(entry.amount()).isEqualByComparingTo("10.00"));
    }

    @Test
    void givenBadRequests_then400AndNothingStored() throws Exception {
        int entriesBefore = simulator.ledger(null).size();

        assertThat(post("/v1/authorizations", null, "{\"orderId\":\"o\",\"amount\":\"1.00\",\"currency\":\"EUR\"}")
                .statusCode()).isEqualTo(400);
        assertThat(authorize(newKey(), "o", "1.001", "EUR").statusCode()).isEqualTo(400);
        assertThat(authorize(newKey(), "o", "-1.00", "EUR").statusCode()).isEqualTo(400);
        assertThat(authorize(newKey(), "o", "abc", "EUR").statusCode()).isEqualTo(400);
        assertThat(authorize(newKey(), "o", "1.00", "XYZ").statusCode()).isEqualTo(400);
        assertThat(authorize(newKey(), " ", "1.00", "EUR").statusCode()).isEqualTo(400);
        assertThat(post("/v1/authorizations", newKey(), "{\"orderId\":\"o\",\"amount\":1.5,\"currency\":\"EUR\"}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/v1/authorizations", newKey(), "not json").statusCode()).isEqualTo(400);
        assertThat(post("/v1/authorizations", "bad key/", "{}").statusCode()).isEqualTo(400);
        assertThat(simulator.ledger(null)).hasSize(entriesBefore);
    }

    @Test
    void givenUnknownKey_whenStatus_then404() throws Exception {
        assertThat(get("/v1/authorizations/" + newKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void givenAuthorized_whenVoid_thenVoided_andVoidAgainAndReauthorizeStayVoided() throws Exception {
        String key = newKey();
        authorize(key, "order-5", "30.00", "EUR");

        assertThat(status(post("/v1/authorizations/" + key + "/void", null, ""))).isEqualTo("VOIDED");
        assertThat(status(post("/v1/authorizations/" + key + "/void", null, ""))).isEqualTo("VOIDED");
        assertThat(status(authorize(key, "order-5", "30.00", "EUR"))).isEqualTo("VOIDED");
        assertThat(simulator.ledger("order-5")).singleElement()
                .satisfies(entry -> assertThat(entry.amount()).isEqualByComparingTo("30.00"));
    }

    @Test
    void givenDeclined_whenVoid_thenStaysDeclined() throws Exception {
        String key = newKey();
        authorize(key, "order-6", "20000.00", "EUR");

        assertThat(status(post("/v1/authorizations/" + key + "/void", null, ""))).isEqualTo("DECLINED");
    }

    @Test
    void givenUnknownKeyVoided_whenAuthorizationArrivesLate_thenTombstoneReturnedAndNothingCharged()
            throws Exception {
        String key = newKey();

        HttpResponse<String> tombstone = post("/v1/authorizations/" + key + "/void", null,
                "{\"orderId\":\"order-7\"}");
        HttpResponse<String> late = authorize(key, "order-7", "15.00", "EUR");

        assertThat(status(tombstone)).isEqualTo("VOIDED");
        assertThat(json.readTree(tombstone.body()).get("amount").isNull()).isTrue();
        assertThat(late.body()).isEqualTo(tombstone.body());
        assertThat(simulator.ledger("order-7")).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(Status.VOIDED);
            assertThat(entry.isTombstone()).isTrue();
        });
    }

    @Test
    void givenFailNextTwo_thenTwoRequestsAnswer503AndStoreNothing_andTheThirdWorks() throws Exception {
        put("/simulator/faults", "{\"failNext\": 2}");
        String key = newKey();

        assertThat(authorize(key, "order-8", "1.00", "EUR").statusCode()).isEqualTo(503);
        assertThat(get("/v1/authorizations/" + key).statusCode()).isEqualTo(503);
        assertThat(simulator.ledger("order-8")).isEmpty();
        assertThat(status(authorize(key, "order-8", "1.00", "EUR"))).isEqualTo("AUTHORIZED");
        assertThat(json.readTree(get("/simulator/faults").body()).get("failNext").asInt()).isZero();
    }

    @Test
    void givenDropResponseAfterCharge_whenAuthorize_thenClientSeesIOException_yetLedgerHoldsOneAuthorized()
            throws Exception {
        simulator.faults().dropResponseAfterChargeNext(1);
        String key = newKey();

        assertThatThrownBy(() -> authorize(key, "order-9", "42.00", "EUR")).isInstanceOf(IOException.class);

        assertThat(simulator.ledger("order-9")).singleElement()
                .satisfies(entry -> assertThat(entry.status()).isEqualTo(Status.AUTHORIZED));
        assertThat(status(authorize(key, "order-9", "42.00", "EUR"))).isEqualTo("AUTHORIZED");
        assertThat(simulator.ledger("order-9")).hasSize(1);
    }

    @Test
    void givenLatency_whenClientTimesOut_thenChargeStillLandsLater_andOtherRequestsAreNotBlocked()
            throws Exception {
        simulator.faults().latency(Duration.ofMillis(1500));
        String key = newKey();
        HttpRequest slow = authorizeRequest(key, "order-10", "7.00", "EUR").timeout(Duration.ofMillis(300)).build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(get("/v1/authorizations/" + key).statusCode()).isEqualTo(404);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(simulator.ledger("order-10"))
                .singleElement().satisfies(entry -> assertThat(entry.status()).isEqualTo(Status.AUTHORIZED)));
    }

    @Test
    void givenFaultsOverHttp_whenDelete_thenAllReset() throws Exception {
        HttpResponse<String> set = put("/simulator/faults",
                "{\"latencyMs\": 5, \"failNext\": 3, \"dropResponseAfterChargeNext\": 4}");
        assertThat(simulator.faults().snapshot()).isEqualTo(new SimulatorFaults.Snapshot(5, 3, 4, 0));
        assertThat(json.readTree(set.body()).get("dropResponseAfterChargeNext").asInt()).isEqualTo(4);
        assertThat(put("/simulator/faults", "{\"failNext\": -1}").statusCode()).isEqualTo(400);

        http.send(HttpRequest.newBuilder(uri("/simulator/faults")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(simulator.faults().snapshot()).isEqualTo(new SimulatorFaults.Snapshot(0, 0, 0, 0));
    }

    @Test
    void givenEntriesOfSeveralOrders_whenLedgerFilteredByOrder_thenOnlyThatOrdersEntries() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        String key = newKey();
        authorize(key, orderId, "3.00", "EUR");
        authorize(newKey(), "some-other-order", "4.00", "EUR");

        JsonNode filtered = json.readTree(get("/v1/ledger?orderId=" + orderId).body());
        JsonNode all = json.readTree(get("/v1/ledger").body());

        assertThat(filtered).hasSize(1);
        assertThat(filtered.get(0).get("idempotencyKey").asText()).isEqualTo(key);
        assertThat(filtered.get(0).get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(all.size()).isGreaterThanOrEqualTo(2);
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private String status(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("status").asText();
    }

    private HttpResponse<String> authorize(String key, String orderId, String amount, String currency)
            throws IOException, InterruptedException {
        return http.send(authorizeRequest(key, orderId, amount, currency).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorizeRequest(String key, String orderId, String amount, String currency) {
        String body = json.createObjectNode().put("orderId", orderId).put("amount", amount)
                .put("currency", currency).toString();
        return HttpRequest.newBuilder(uri("/v1/authorizations")).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> post(String path, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(simulator.baseUrl() + path);
    }
}
