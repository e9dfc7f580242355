package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.process.PoisonPill;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Operations;
import io.orderflow.gateway.testkit.client.Orders;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against the
 * running application on real PostgreSQL and Kafka: it sees the processors, pauses and resumes one, replays a
 * projection to 100 %, follows one checkout's trace, retries a dead letter, and shows hostile text as text. Each
 * view is photographed into {@code api-gateway/target/dashboard-screenshots/}.
 */
class DashboardIT extends EmbeddedSystemTest {

    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("dashboard.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,1100", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("dashboard.chromedriver",
                        "/usr/bin/chromedriver")))
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private Operations operations;
    private Fulfillment fulfillment;

    @BeforeEach
    void setUp() {
        operations = new Operations(http);
        fulfillment = new Fulfillment(http);
    }

    @Test
    void givenTheOverview_thenEveryPartOfTheFlowIsDrawnWithRatesAndLag_andAPausedConsumerIsSeen() {
        fulfillment.awaitEnd(fulfillment.place(Orders.oneBag()));
        open("overview");
        for (String node : new String[] {"api", "aggregates", "store", "p:__axon-kafka-event-publishing-group",
                "p:order-summary", "p:customer-profile", "t:orderflow.order-events", "t:orderflow.fulfillment-events",
                "t:orderflow.billing-events", "t:orderflow.customer-events", "t:orderflow.shipping-address-changed",
                "p:fulfillment", "p:analytics", "p:notifications", "p:billing", "p:delivery-address",
                "s:orderflow-address-routing"}) {
            waitFor(By.cssSelector("#flow g[data-node='" + node + "']"));
        }
        By intoAnalytics = By.cssSelector("#flow g.edge[data-from='t:orderflow.order-events'][data-to='p:analytics']");
        waitUntil(driver -> text(intoAnalytics).startsWith("lag "));
        assertThat(browser.findElement(By.cssSelector("#flow g[data-node='store']")).getText()).contains("head ");
        assertThat(browser.findElements(By.cssSelector("#flow g.edge[data-from='t:orderflow.customer-events']"
                + "[data-to='s:orderflow-address-routing']"))).as("the address router's input").hasSize(1);
        waitUntil(driver -> "ok".equals(state("p:analytics")));
        screenshot("overview");

        // A paused consumer with orders waiting is seen: its node and the edges into it turn amber.
        operations.pause("analytics");
        try {
            fulfillment.awaitEnd(fulfillment.place(Orders.oneBag()));
            waitUntil(driver -> "paused".equals(state("p:analytics")));
            waitUntil(driver -> browser.findElement(intoAnalytics).getAttribute("class").contains("state-paused"));
            waitUntil(driver -> !text(intoAnalytics).startsWith("lag 0"));
            screenshot("overview-paused");
        } finally {
            operations.resume("analytics");
        }
        waitUntil(driver -> "ok".equals(state("p:analytics")));

        // A processor's node opens its row, and the address says which, so that the link can be shared.
        click(By.cssSelector("#flow g[data-node='p:order-summary']"));
        waitFor(By.cssSelector("#view-processors:not([hidden]) tr.focus[data-processor='order-summary']"));
        assertThat(browser.getCurrentUrl()).contains("view=processors").contains("processor=order-summary");
    }

    private String state(String node) {
        return browser.findElement(By.cssSelector("#flow g[data-node='" + node + "']")).getAttribute("data-state");
    }

    @Test
    void givenTheProcessorsView_thenEveryProcessorIsShownAndOneCanBePausedAndResumed() {
        open("processors");
        WebElement row = waitFor(By.cssSelector("tr[data-processor='order-summary']"));
        assertThat(row.getText()).contains("event-store").contains("pooled-streaming").contains("RUNNING");
        assertThat(text(By.cssSelector("tr[data-processor='analytics']"))).contains("kafka:orderflow.order-events");
        waitFor(By.cssSelector("#lag-chart canvas"));
        screenshot("processors");

        click(By.cssSelector("tr[data-processor='delivery-address'] button[data-action='pause']"));
        waitUntil(driver -> text(By.cssSelector("tr[data-processor='delivery-address'] td.status")).equals("PAUSED"));
        click(By.cssSelector("tr[data-processor='delivery-address'] button[data-action='resume']"));
        waitUntil(driver -> text(By.cssSelector("tr[data-processor='delivery-address'] td.status")).equals("RUNNING"));

        // Its single segment split in two from its button (each half then handles half of the customers), and the
        // new half merged back from its own.
        String segments = "tr[data-processor='delivery-address'] ul.segments ";
        click(By.cssSelector(segments + "li[data-segment='0'] button[data-segment-action='split']"));
        waitFor(By.cssSelector(segments + "li[data-segment='1']"));
        waitUntil(driver -> text(By.cssSelector(segments + "li[data-segment='0']")).contains("(1/2)"));
        click(By.cssSelector(segments + "li[data-segment='1'] button[data-segment-action='merge']"));
        waitUntil(driver -> driver.findElements(By.cssSelector(segments + "li")).size() == 1);
        waitUntil(driver -> text(By.cssSelector(segments + "li[data-segment='0']")).contains("(all)"));

        // Every action is in the audit log, made by the operator who signed in.
        open("audit");
        waitUntil(driver -> text(By.id("audit")).contains("processor.merge"));
        assertThat(text(By.id("audit"))).contains("processor.split")
                .contains("POST /api/admin/processors/delivery-address/segments/0/split");
        assertThat(text(By.id("audit"))).contains("operator").contains("processor.pause")
                .contains("POST /api/admin/processors/delivery-address/pause").contains("done");
        screenshot("audit");
    }

    @Test
    void givenAReplayStartedFromTheDashboard_thenItsProgressReaches100Percent() {
        for (int i = 0; i < 20; i++) {
            fulfillment.place(Orders.oneBag());
        }
        open("processors");
        waitFor(By.cssSelector("tr[data-processor='order-summary'] td.progress"));
        String before = text(By.cssSelector("tr[data-processor='order-summary'] td.progress"));
        click(By.cssSelector("tr[data-processor='order-summary'] button[data-action='replay']"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        waitUntil(driver -> {
            String progress = text(By.cssSelector("tr[data-processor='order-summary'] td.progress"));
            return progress.startsWith("100 %") && !progress.equals(before);
        });
        screenshot("processors-replayed");
        assertThat(text(By.id("message"))).contains("replay of order-summary requested");
    }

    @Test
    void givenACheckoutsTraceId_thenItsTimelineShowsEventsKafkaNotificationsAndThePayment() {
        UUID customer = operations.registerCustomer("Katherine Johnson",
                "katherine-" + UUID.randomUUID() + "@example.com");
        Http.Response placed = http.postJson("/api/orders", Operations.orderFor(customer, "SKU-1", 1, "DE"));
        assertThat(placed.status()).isEqualTo(201);
        String traceId = placed.header("X-Trace-Id");
        UUID orderId = UUID.fromString(placed.json().get("orderId").asText());
        fulfillment.awaitEnd(orderId);
        operations.awaitNotifications(orderId, WAIT, "ORDER_ACCEPTED", "ORDER_SHIPPED");
        String number = org.awaitility.Awaitility.await().atMost(WAIT).until(
                () -> http.get("/api/invoices?orderId=" + orderId), r -> r.status() == 200
                        && r.json().get("documents").size() == 1).json().get("documents").get(0).get("number").asText();

        open("events");
        browser.findElement(By.id("trace-id")).sendKeys(traceId);
        click(By.id("find-trace"));
        waitUntil(driver -> driver.findElements(By.cssSelector("#timeline li[data-kind='notification']")).size() == 2
                && !driver.findElements(By.cssSelector("#timeline li[data-kind='payment']")).isEmpty());
        String timeline = text(By.id("timeline"));
        assertThat(timeline).contains("OrderAcceptedEvent").contains("forwarded to orderflow.order-events")
                .contains("StockReservedEvent").contains("PaymentAuthorizedEvent").contains("OrderCompletedEvent")
                .contains("payment AUTHORIZED").contains("ORDER_SHIPPED SENT");
        // The order's invoice, as a link to its PDF.
        By invoice = By.cssSelector("#billing li[data-document='" + number + "'] a");
        waitUntil(driver -> !driver.findElements(invoice).isEmpty());
        assertThat(browser.findElement(invoice).getAttribute("href")).endsWith("/api/invoices/" + number + ".pdf");
        assertThat(text(By.id("billing"))).contains("billing: INVOICED").contains("invoice");
        screenshot("events-trace");

        // The address holds the trace: opened again (a shared link), it shows the same timeline.
        String link = browser.getCurrentUrl();
        assertThat(link).contains("view=events").contains("traceId=" + traceId);
        browser.get("about:blank");
        browser.get(link);
        waitUntil(driver -> text(By.id("timeline")).contains("OrderCompletedEvent"));
        assertThat(browser.findElement(By.id("trace-id")).getAttribute("value")).isEqualTo(traceId);
    }

    /**
     * One checkout's spans as a waterfall: the request, its command, the event's record written to and waiting in
     * its topic, and the saga's steps, each a row with its bar and its milliseconds. The endpoint's JSON is printed,
     * so that a missing hop shows what it returned.
     */
    @Test
    void givenACheckoutsTraceId_thenItsWaterfallShowsEveryHopWithItsTimings() {
        UUID customer = operations.registerCustomer("Grace Hopper", "grace-" + UUID.randomUUID() + "@example.com");
        Http.Response placed = http.postJson("/api/orders", Operations.orderFor(customer, "SKU-1", 1, "DE"));
        assertThat(placed.status()).isEqualTo(201);
        String traceId = placed.header("X-Trace-Id");
        UUID orderId = UUID.fromString(placed.json().get("orderId").asText());
        assertThat(fulfillment.awaitEnd(orderId).get("status").asText()).isEqualTo("COMPLETED");

        JsonNode waterfall = awaitSpans(traceId);
        String json = waterfall == null ? "(no answer)" : waterfall.toPrettyString();
        System.out.println("GET /api/admin/traces/" + traceId + "/spans answered:\n" + json);
        assertThat(waterfall).as("the spans endpoint's answer").isNotNull();
        assertThat(waterfall.get("recorded").asBoolean()).as("recorded, in %s", json).isTrue();
        WATERFALL_HOPS.forEach((hop, found) -> assertThat(found.test(waterfall)).as("%s in %s", hop, json).isTrue());

        open("events");
        browser.findElement(By.id("trace-id")).sendKeys(traceId);
        click(By.id("find-trace"));
        By rows = By.cssSelector("#waterfall .span-row");
        waitUntil(driver -> driver.findElements(rows).size() >= waterfall.get("spans").size());
        assertThat(browser.findElement(By.id("waterfall")).getAttribute("data-recorded")).isEqualTo("true");
        assertThat(text(By.cssSelector("#waterfall .waterfall-title"))).matches("Spans: [0-9.]+ ms in total, "
                + "[0-9]+ spans.*");
        assertThat(rowTexts("SERVER")).as("the request").anyMatch(row -> row.toLowerCase(Locale.ROOT)
                .contains("/api/orders") && row.matches("(?s).*\\s[0-9.]+ ms.*"));
        assertThat(rowTexts(null)).as("the command").anyMatch(row -> row.contains("PlaceOrderCommand"));
        assertThat(rowTexts("PRODUCER")).as("the record written")
                .anyMatch(row -> row.startsWith("orderflow.order-events publish"));
        assertThat(rowTexts("CONSUMER")).as("the record's time in its topic").anyMatch(row -> row.contains(" receive")
                && row.matches("(?s).*waiting in orderflow\\.[a-z-]+: [0-9.]+ ms.*"));
        assertThat(browser.findElements(By.cssSelector("#waterfall .span-row.waiting[data-kind='CONSUMER']")))
                .as("receive spans drawn as waiting").isNotEmpty();
        assertThat(rowTexts(null)).as("the saga's steps").anyMatch(row -> row.contains("ReserveStockCommand")
                || row.contains("SagaCommands") || row.contains("ParallelFulfillment"));
        assertThat(text(By.id("message"))).isEmpty();
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                browser.findElement(By.id("waterfall")));
        screenshot("trace-waterfall");

        // The shared link opens the waterfall too.
        String link = browser.getCurrentUrl();
        assertThat(link).contains("view=events").contains("traceId=" + traceId);
        browser.get("about:blank");
        browser.get(link);
        waitUntil(driver -> driver.findElements(rows).size() >= waterfall.get("spans").size());
        assertThat(rowTexts("PRODUCER")).anyMatch(row -> row.startsWith("orderflow.order-events publish"));
    }

    /** The hops a checkout's waterfall holds, each found in the spans endpoint's answer. */
    private static final Map<String, Predicate<JsonNode>> WATERFALL_HOPS = new LinkedHashMap<>();

    static {
        WATERFALL_HOPS.put("the HTTP server span of POST /api/orders", w -> anySpan(w, span ->
                "SERVER".equals(span.path("kind").asText())
                        && span.path("name").asText().toLowerCase(Locale.ROOT).contains("/api/orders")));
        WATERFALL_HOPS.put("a span of PlaceOrderCommand", w -> anySpan(w, span -> span.path("name").asText()
                .contains("PlaceOrderCommand")));
        WATERFALL_HOPS.put("the PRODUCER span orderflow.order-events publish", w -> anySpan(w, span ->
                "PRODUCER".equals(span.path("kind").asText())
                        && span.path("name").asText().equals("orderflow.order-events publish")));
        WATERFALL_HOPS.put("a CONSUMER receive span with its wait in the topic", w -> anySpan(w, span -> "CONSUMER"
                .equals(span.path("kind").asText()) && span.path("name").asText().endsWith(" receive")
                && span.path("waitInTopicMs").isNumber()));
        WATERFALL_HOPS.put("a span of the saga's steps", w -> anySpan(w, span -> {
            String name = span.path("name").asText();
            return name.contains("ReserveStockCommand") || name.contains("SagaCommands")
                    || name.contains("ParallelFulfillment");
        }));
    }

    private static boolean anySpan(JsonNode waterfall, Predicate<JsonNode> matches) {
        for (JsonNode span : waterfall.path("spans")) {
            if (matches.test(span)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The trace's spans once every hop is in (a consumer's span may end after the order's status changed), or the
     * last answer.
     */
    private JsonNode awaitSpans(String traceId) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
                Http.Response read = http.get("/api/admin/traces/" + traceId + "/spans");
                last.set(read.status() == 200 ? read.json() : null);
                return last.get() != null && WATERFALL_HOPS.values().stream().allMatch(hop -> hop.test(last.get()));
            });
        } catch (ConditionTimeoutException missing) {
            // Asserted hop by hop by the caller, with the answer.
        }
        return last.get();
    }

    /** The text of the waterfall's rows of a kind (of every kind for null). */
    private List<String> rowTexts(String kind) {
        By rows = By.cssSelector("#waterfall .span-row" + (kind == null ? "" : "[data-kind='" + kind + "']"));
        for (int attempt = 0; ; attempt++) {
            try {
                return browser.findElements(rows).stream().map(WebElement::getText).toList();
            } catch (StaleElementReferenceException replaced) {
                if (attempt > 5) {
                    throw replaced;
                }
            }
        }
    }

    @Test
    void givenAParkedSequence_whenRetriedFromTheDashboardAfterTheFix_thenItIsApplied() {
        UUID poisoned = UUID.randomUUID();
        PoisonPill.poison(poisoned);
        UUID orderId;
        try {
            orderId = fulfillment.place(Operations.orderFor(poisoned, "SKU-4", 1, "DE"));
            await().atMost(WAIT).until(() -> operations.deadLetters("order-summary").findValuesAsText("sequenceId")
                    .contains(orderId.toString()));
            open("dead-letters");
            By row = By.cssSelector("tr[data-sequence='" + orderId + "']");
            waitFor(row);
            click(By.cssSelector("tr[data-sequence='" + orderId + "'] button[data-action='open']"));
            waitUntil(driver -> text(By.id("letter-body")).contains("poison"));
            assertThat(text(By.id("letter-body"))).contains("OrderAcceptedEvent").contains(orderId.toString());
            screenshot("dead-letters");
        } finally {
            PoisonPill.cure(poisoned);
        }
        click(By.cssSelector("tr[data-sequence='" + orderId + "'] button[data-action='retry']"));
        waitUntil(driver -> driver.findElements(By.cssSelector("tr[data-sequence='" + orderId + "']")).isEmpty());
        assertThat(http.get("/api/orders/" + orderId).status()).isEqualTo(200);
    }

    /**
     * A cancellation's reason is a client's free text kept as given (a name would be too, but the event view shows
     * stored payloads as they are stored: personal fields encrypted, ADR 0032).
     */
    @Test
    void givenHostileTextInAnEvent_thenItIsShownAndNeverRun() {
        String hostile = "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>";
        UUID customer = operations.registerCustomer("Mallory", "mallory-" + UUID.randomUUID() + "@example.com");
        // An order waiting for a profile version that never comes, so that it can still be cancelled.
        UUID order = fulfillment.place(Fulfillment.orderForVersion(customer, "SKU-1", 1, 99));
        assertThat(http.postJson("/api/orders/" + order + "/cancel", "{\"reason\": \"" + hostile + "\"}").status())
                .isEqualTo(200);
        open("events");
        browser.findElement(By.id("aggregate-id")).sendKeys(order.toString());
        click(By.id("find-aggregate"));
        waitUntil(driver -> text(By.id("events")).contains("OrderCancelledEvent"));
        assertThat(text(By.id("events"))).contains("<script>window.__xss=2</script>");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#events img"))).isEmpty();
    }

    @Test
    void givenTheEventCatalogue_thenEveryTopicIsListedWithItsEventsAndTheirSchemas() {
        open("catalogue");
        By orders = By.cssSelector("tr[data-channel='orderflow.order-events']");
        waitUntil(driver -> !driver.findElements(orders).isEmpty());
        assertThat(text(orders)).contains("the orderId").contains("Keeps every record")
                .contains("OrderAcceptedEvent revision 2");
        assertThat(text(By.cssSelector("tr[data-channel='orderflow.billing-address-changed']")))
                .contains("compacted").contains("BillingAddressChangedEvent revision 1");
        assertThat(text(By.id("catalogue-headers"))).contains("ce_type").contains("traceparent");
        screenshot("event-catalogue");
    }

    @Test
    void givenTheSagasAndKafkaViews_thenTheyShowTheirData() {
        open("kafka");
        waitUntil(driver -> text(By.id("topics")).contains("orderflow.order-events"));
        String topics = text(By.cssSelector("tr[data-topic='orderflow.order-events']"));
        assertThat(topics).contains("p0: leader").contains("fulfillment (lag").contains("analytics (lag")
                .contains("notifications (lag");
        waitUntil(driver -> text(By.id("streams")).contains("orderflow-address-routing"));
        assertThat(text(By.cssSelector("tr[data-streams='orderflow-address-routing'] td.status"))).isEqualTo("RUNNING");
        assertThat(text(By.id("streams-topology"))).contains("orderflow.shipping-address-changed");
        // The system tests' application runs without a Connect worker (KafkaConnectIT runs one).
        waitUntil(driver -> text(By.id("connect-cluster")).contains("No Kafka Connect cluster is configured"));
        screenshot("kafka");

        UUID customer = UUID.randomUUID();
        UUID waiting = fulfillment.place(Fulfillment.orderForVersion(customer, "SKU-5", 1, 42));
        fulfillment.awaitStatus(waiting, WAIT, "AWAITING_ADDRESS");
        open("sagas");
        waitUntil(driver -> text(By.id("sagas")).contains(waiting.toString()));
        assertThat(text(By.cssSelector("tr[data-saga='" + waiting + "']"))).contains("AWAITING_ADDRESS")
                .contains("address");
        screenshot("sagas");
        assertThat(http.postJson("/api/orders/" + waiting + "/cancel", "{\"reason\": \"test over\"}").status())
                .isEqualTo(200);
    }

    private void open(String view) {
        String app = "http://127.0.0.1:" + port;
        browser.get(app + "/dashboard?view=" + view);
        if (!browser.getCurrentUrl().startsWith(app)) {
            signIn();
        }
        waitFor(By.cssSelector("#view-" + view + ":not([hidden])"));
    }

    /** The issuer's sign-in form, as an operator fills it in; the browser then comes back to the dashboard. */
    private void signIn() {
        Properties endpoints = endpoints();
        waitFor(By.id("username")).sendKeys(endpoints.getProperty("auth.dashboard.user"));
        browser.findElement(By.id("password")).sendKeys(endpoints.getProperty("auth.dashboard.password"));
        screenshot("sign-in");
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    private static Properties endpoints() {
        Properties endpoints = new Properties();
        try (var in = Files.newInputStream(Path.of(System.getProperty("orderflow.home"), "endpoints.properties"))) {
            endpoints.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return endpoints;
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    private void waitUntil(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition::apply);
    }

    /** Clicks what the locator finds, again if the page's refresh replaced the element meanwhile. */
    private void click(By locator) {
        waitUntil(driver -> {
            driver.findElement(locator).click();
            return true;
        });
    }

    private String text(By locator) {
        for (int attempt = 0; ; attempt++) {
            try {
                return browser.findElement(locator).getText();
            } catch (StaleElementReferenceException replaced) {
                if (attempt > 5) {
                    throw replaced;
                }
            }
        }
    }

    private void screenshot(String name) {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
