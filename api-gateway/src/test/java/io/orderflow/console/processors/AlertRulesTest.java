package io.orderflow.console.processors;

import io.orderflow.gateway.testkit.process.PrometheusServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped alert rules (deploy/prometheus) are valid, and their own unit tests pass: promtool checks the syntax
 * and evaluates each alert on series written out in the test file, at the real durations and thresholds. The
 * alerting test on real processes is {@code PrometheusIT}; this is the build's quick check.
 */
class AlertRulesTest {

    private static final Path DEPLOY = Path.of("..", "deploy", "prometheus");
    private static final Path PROMTOOL = Path.of(System.getProperty("promtool.binary", "/usr/bin/promtool"));

    @Test
    void theRuleFileIsValid() throws Exception {
        assertThat(promtool("check", "rules", "orderflow-alerts.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertFiresAndStaysQuietWhereItsUnitTestsSay() throws Exception {
        assertThat(promtool("test", "rules", "orderflow-alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void theExampleServerConfigurationIsValid() throws Exception {
        assertThat(promtool("check", "config", "--syntax-only", "prometheus.yml")).contains("SUCCESS");
    }

    @Test
    void compressingTime_dividesForAndRangesOnly() {
        String rules = """
                - alert: X
                  expr: min_over_time(lag[5m]) > 30 and deriv(lag[10m:1m]) >= 0 and rate(x[1h]) > 0.25
                  for: 2m
                """;

        assertThat(PrometheusServer.compressTime(rules, 30)).isEqualTo("""
                - alert: X
                  expr: min_over_time(lag[10s]) > 30 and deriv(lag[20s:2s]) >= 0 and rate(x[120s]) > 0.25
                  for: 4s
                """);
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(PROMTOOL)).as(PROMTOOL + " is missing: install Debian's prometheus package "
                + "(scripts/test does)").isTrue();
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(DEPLOY.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
