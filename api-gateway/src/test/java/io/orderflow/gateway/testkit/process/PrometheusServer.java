package io.orderflow.gateway.testkit.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.infra.support.LocalPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (Debian's package, {@code /usr/bin/prometheus}) for a test: on 127.0.0.1, with its data
 * in a folder of the test's, stopped by {@link #close()}. Its HTTP API answers what it scraped and which alerts fire.
 */
public final class PrometheusServer implements AutoCloseable {

    /** The binary; another with {@code -Dprometheus.binary=...}. */
    public static final Path BINARY = Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern RANGE = Pattern.compile("\\[([0-9smhd]+)(:[0-9smhd]*)?]");
    private static final Pattern FOR = Pattern.compile("(\\bfor:\\s*)([0-9smhd]+)");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Prometheus on {@code configuration} (a prometheus.yml in {@code directory}) and waits until it is ready. */
    public static PrometheusServer start(Path directory, Path configuration) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus package "
                    + "(scripts/test does)");
        }
        int port = LocalPorts.pickFree();
        Path log = directory.resolve("prometheus.log");
        try {
            Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + configuration,
                    "--storage.tsdb.path=" + directory.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(process, port, log);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + BINARY, e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited: " + logTail());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            sleep(200);
        }
        throw new IllegalStateException("Prometheus not ready after " + timeout + ": " + logTail());
    }

    /** The {@code data} of an API answer ({@code /api/v1/...}), which must be a success. */
    public JsonNode api(String path) {
        HttpResponse<String> response = get(path);
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !"success".equals(answer.path("status").asText())) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return answer.get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of an instant query. */
    public JsonNode query(String promql) {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String logTail() {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(log not readable: " + e + ")";
        }
    }

    /**
     * A rule file with its time compressed: every {@code for:} duration and every range (and subquery range) divided
     * by {@code factor}, at least a second, so that a test sees in seconds what production judges over minutes. The
     * expressions, thresholds and labels stay as shipped; promtool's unit tests judge the real durations.
     */
    public static String compressTime(String rules, int factor) {
        Matcher ranges = RANGE.matcher(rules);
        StringBuilder out = new StringBuilder();
        while (ranges.find()) {
            String step = ranges.group(2) == null ? "" : ranges.group(2);
            if (step.length() > 1) {
                step = ":" + scaled(step.substring(1), factor);
            }
            ranges.appendReplacement(out, Matcher.quoteReplacement("[" + scaled(ranges.group(1), factor) + step + "]"));
        }
        ranges.appendTail(out);
        Matcher holds = FOR.matcher(out.toString());
        StringBuilder result = new StringBuilder();
        while (holds.find()) {
            holds.appendReplacement(result, Matcher.quoteReplacement(holds.group(1) + scaled(holds.group(2), factor)));
        }
        holds.appendTail(result);
        return result.toString();
    }

    private static String scaled(String duration, int factor) {
        Matcher parts = DURATION.matcher(duration);
        long millis = 0;
        while (parts.find()) {
            long value = Long.parseLong(parts.group(1));
            millis += switch (parts.group(2)) {
                case "ms" -> value;
                case "s" -> value * 1_000;
                case "m" -> value * 60_000;
                case "h" -> value * 3_600_000;
                default -> value * 86_400_000;
            };
        }
        return Math.max(1, millis / factor / 1_000) + "s";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
