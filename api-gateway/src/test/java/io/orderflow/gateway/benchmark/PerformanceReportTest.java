package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.benchmark.PerformanceReport.Figures;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class PerformanceReportTest {

    private static Figures figures(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return new Figures(properties);
    }

    private static String render(Figures fulfillment, Figures replay) {
        return PerformanceReport.render(Map.of(PerformanceReport.FULFILLMENT, fulfillment,
                PerformanceReport.ACCEPTANCE, figures(), PerformanceReport.REPLAY, replay,
                PerformanceReport.COMPARISON, figures(), PerformanceReport.SECURITY, figures(),
                PerformanceReport.TRACING, figures()));
    }

    @Test
    void aTargetRowSaysWhetherItIsMetAndWhatTheCpuPerOrderAllows() {
        String report = render(figures("measured", "2026-12-04T10:00:00", "burst.orders", "1500",
                "burst.clients", "8", "burst.endedPerSecond", "35.0", "burst.cpuPerOrder", "50.0",
                "slow.ms", "500", "slow.ratio", "1.05"), figures());

        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        String allowed = String.format("%.0f", Runtime.getRuntime().availableProcessors() * 1000 / 50.0);
        assertThat(report).contains("burst of 1,500 orders from 8 clients | 11–14 | **35.0** | ≥ 500 | no | "
                + "50.0 ms of CPU per order (all components) allow " + allowed + " orders/s");
        assertThat(report).contains("| burst with the provider 500 ms slower, as a ratio to the fast burst "
                + "| 0.24–0.65 | **1.050** | ≥ 0.9 | yes |");
        assertThat(report).contains("machine with " + cores + " cores");
    }

    @Test
    void oneOrderAloneIsExplainedByItsFirstHopAndItsSteps() {
        String report = render(figures("measured", "2026-12-04T10:00:00", "solo.p50", "80",
                "solo.steps", "OrderAccepted → StockReserved 44 ms; StockReserved → OrderStockReserved 7 ms; "
                        + "OrderStockReserved → PaymentAuthorized 30 ms"), figures());

        assertThat(report).contains("| one order alone, order-to-end p50 | 189–324 ms | **80 ms** | ≤ 50 ms | no | "
                + "its acceptance reaches fulfillment through the event store, the publisher and Kafka (44 ms to the "
                + "reservation), then the rest of its path takes 37 ms");
    }

    @Test
    void aBenchmarkThatDidNotRunReadsNotRunInsteadOfAFigure() {
        String report = render(figures(), figures("measured", "2026-12-04T10:00:00", "events", "100000",
                "replay.eventsPerSecond", "16000", "replay.cpuPerEvent", "0.1", "replay.cpuPostgresPerEvent", "0.03"));

        assertThat(report).contains("| order-summary replay over 100,000 events, until reads switch "
                + "| 2,944 events/s | **16,000 events/s** | ≥ 15,000 events/s | yes |");
        assertThat(report).contains("| one order alone, order-to-end p50 | 189–324 ms | **not run** | ≤ 50 ms | – "
                + "| not run |");
        assertThat(report).contains("## Fulfillment\n\nNot run in this report's runs.");
        assertThat(report).doesNotContain("NaN");
    }
}
