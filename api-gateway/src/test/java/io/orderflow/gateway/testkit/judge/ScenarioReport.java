package io.orderflow.gateway.testkit.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The evidence of the failure scenarios of docs/failure-scenarios.md: every scenario test hands its figures to
 * {@link #record}, which prints them as one table in the test output and rewrites a Markdown report with one row
 * per scenario.
 *
 * <p>The report goes to {@code orderflow.scenario.report} (default {@code target/failure-report.md}); each row is
 * also kept as its own file under {@code target/scenario-rows/}, so that test classes running one after the other
 * add up to one report (a {@code clean} starts it afresh). The {@code scenarios} profile writes {@code docs/failure-report.md} at the larger size.
 */
public final class ScenarioReport {

    /**
     * One scenario's figures.
     *
     * @param scenario   its number in docs/failure-scenarios.md, with a suffix when it has several parts
     *                   ("S2 broker")
     * @param title      what it is about
     * @param injected   the fault, as done
     * @param operations the client operations (or records, cases) it ran
     * @param lost       acknowledged writes missing anywhere along store, topic and projection
     * @param duplicated business effects that happened more than once
     * @param recovery   the recovery time or times, as measured
     * @param passed     whether every condition of docs/failure-scenarios.md held
     * @param figures    the scenario's own figures
     */
    public record Row(String scenario, String title, String injected, long operations, long lost, long duplicated,
                      String recovery, boolean passed, String figures) {

        String markdown() {
            return "| " + String.join(" | ", scenario, cell(title), cell(injected), Long.toString(operations),
                    Long.toString(lost), Long.toString(duplicated), cell(recovery), passed ? "pass" : "**FAIL**",
                    cell(figures)) + " |";
        }

        private static String cell(String text) {
            return text.replace("|", "\\|").replace("\n", " ");
        }
    }

    /** Every part of docs/failure-scenarios.md; a part with no row of this run is listed as having no result. */
    private static final List<String> EXPECTED = List.of("S1", "S2 broker", "S2 database", "S2 payment", "S3",
            "S3b", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S10 instances", "S11", "S12", "S15 forged fact",
            "S15 database roles", "S15 erasure");

    private static final String HEADER = "| # | scenario | injected | operations | lost | duplicated effects "
            + "| recovery | result | figures |\n| --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |";

    private ScenarioReport() {
    }

    /**
     * Prints the row as a table and adds it to the report, replacing an earlier row of the same scenario. A test whose
     * assertions all come before this call may pass {@code passed = true}: a failing one never gets here, and the
     * report lists its scenario as having no result.
     */
    public static synchronized void record(Row row) {
        System.out.printf("%n=== %s: %s (%s size) ===%n%s%n%s%n", row.scenario(), row.title(), ScenarioSize.name(),
                HEADER, row.markdown());
        Path report = reportFile();
        Path rows = Path.of("target", "scenario-rows").toAbsolutePath();
        try {
            Files.createDirectories(rows);
            Files.writeString(rows.resolve(row.scenario().replace(' ', '-') + ".md"), row.markdown() + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(report, render(rows), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the scenario report " + report, e);
        }
    }

    public static Path reportFile() {
        return Path.of(System.getProperty("orderflow.scenario.report", "target/failure-report.md"))
                .toAbsolutePath().normalize();
    }

    private static String render(Path rows) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(rows)) {
            files = new ArrayList<>(listed.filter(p -> p.toString().endsWith(".md")).toList());
        }
        files.sort(Comparator.comparing(ScenarioReport::sortKey));
        StringBuilder out = new StringBuilder();
        out.append("# orderflow failure scenarios: the evidence\n\n")
                .append("Written by the scenario tests (`ScenarioReport`) at the **").append(ScenarioSize.name())
                .append("** size, last row written ")
                .append(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" UTC on a machine with ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(".\n\n")
                .append("Each row is one scenario of docs/failure-scenarios.md, run on a real PostgreSQL server, "
                        + "real Kafka brokers in KRaft mode (each its own JVM) and a real SMTP server. *Lost* counts "
                        + "acknowledged orders missing from the event store, the order topic or the order summary "
                        + "(A−E, E−K, E−P); *duplicated effects* counts orders charged, reserved, shipped or "
                        + "emailed (per event) more than once. Duplicate records on a topic are allowed and appear "
                        + "under figures.\n\n")
                .append("A kill is SIGKILL of a real process (a broker JVM, the application JVM) or "
                        + "`pg_ctl stop -m immediate`. SIGKILL keeps the operating system's page cache, so these "
                        + "runs do not simulate a power loss.\n\n")
                .append(HEADER).append('\n');
        List<String> missing = new ArrayList<>(EXPECTED);
        for (Path file : files) {
            out.append(Files.readString(file, StandardCharsets.UTF_8));
            missing.remove(file.getFileName().toString().replace(".md", "").replace('-', ' '));
        }
        if (!missing.isEmpty()) {
            out.append("\nNo result in this run (the test failed before its figures, or was not run): ")
                    .append(String.join(", ", missing)).append(".\n");
        }
        return out.toString();
    }

    /** S2 before S10, S3 before S3b. */
    private static String sortKey(Path file) {
        String name = file.getFileName().toString();
        int end = 1;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return String.format("%03d%s", Integer.parseInt(name.substring(1, end)), name.substring(end));
    }
}
