package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.judge.ScenarioReport;

import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario S11's tally across the bad-input tests (orders, customers, reads): every case tried, and every case
 * that got its 4xx problem with nothing stored. Each test class reports the running total when it ends, so the
 * report's S11 row covers all of them.
 */
final class BadInputCases {

    private static int tried;
    private static int refusedCleanly;
    private static final Map<Integer, Integer> byStatus = new TreeMap<>();
    private static long slowestMillis;
    private static String slowest = "-";

    private BadInputCases() {
    }

    static synchronized void tried() {
        tried++;
    }

    /** How long the answer to a case took, end to end over HTTP. */
    static synchronized void answeredIn(String name, long millis) {
        if (millis > slowestMillis) {
            slowestMillis = millis;
            slowest = name;
        }
    }

    /** Called once a case's assertions (4xx problem naming the field, nothing stored) have all held. */
    static synchronized void refusedCleanly(int status) {
        refusedCleanly++;
        byStatus.merge(status, 1, Integer::sum);
    }

    static synchronized void report(String classes) {
        ScenarioReport.record(new ScenarioReport.Row("S11", "bad input",
                "malformed, truncated and duplicate-key JSON, wrong content types, oversized bodies and 10,000 "
                        + "lines, deep nesting, bad amounts and quantities (huge exponents and digit counts, zero "
                        + "and over-range prices and totals), unknown currency, SKU and country, "
                        + "non-UUID ids, NUL, SQL and script injection, fields the client may not set",
                tried, 0, 0, "-", tried == refusedCleanly,
                tried + " cases tried (" + classes + "); answers by status " + byStatus + "; 5xx answers "
                        + byStatus.keySet().stream().filter(s -> s >= 500).count() + "; " + (tried - refusedCleanly)
                        + " cases without a clean 4xx; stored events unchanged by each; slowest answer "
                        + slowestMillis + " ms (" + slowest + "); emoji, right-to-left text and markup stored and "
                        + "shown literally"));
    }
}
