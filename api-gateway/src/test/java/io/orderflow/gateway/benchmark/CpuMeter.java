package io.orderflow.gateway.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time by component, to divide by the orders of a phase: far steadier than throughput on a noisy machine. The
 * threads of this JVM (application, embedded servers' clients, load generator) are grouped by name with digits
 * dropped ({@code WorkPackage[order-summary]-3} becomes {@code WorkPackage[order-summary]-N}); the child processes
 * (PostgreSQL's, the Kafka broker's JVM) by their command, read from {@code /proc}. Threads that ended during the
 * phase are missed, so the per-thread sum can be below the JVM's total, which is reported too.
 */
final class CpuMeter {

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds by component at one moment. */
    record Snapshot(Map<String, Long> byThreadGroup, long jvmNanos, Map<String, Long> byChildProcess) {
    }

    Snapshot snapshot() {
        Map<String, Long> groups = new TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            ThreadInfo info = threads.getThreadInfo(id);
            if (cpu >= 0 && info != null) {
                groups.merge(group(info.getThreadName()), cpu, Long::sum);
            }
        }
        long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        Map<String, Long> children = new TreeMap<>();
        servers().forEach(child -> {
            long cpu = procCpuNanos(child.pid());
            if (cpu >= 0) {
                children.merge(childName(child), cpu, Long::sum);
            }
        });
        return new Snapshot(groups, jvm, children);
    }

    /**
     * Milliseconds of CPU per order between two snapshots, the largest first: the JVM's total, its thread groups
     * (those above 2% of the total), and the child processes.
     */
    static Map<String, Double> perOrder(Snapshot before, Snapshot after, int orders) {
        Map<String, Double> out = new LinkedHashMap<>();
        double jvm = (after.jvmNanos() - before.jvmNanos()) / 1e6 / orders;
        out.put("JVM (application, simulator, load generator)", jvm);
        after.byThreadGroup().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.byThreadGroup().getOrDefault(e.getKey(), 0L))
                        / 1e6 / orders))
                .filter(e -> e.getValue() > jvm * 0.02)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put("  " + e.getKey(), e.getValue()));
        after.byChildProcess().forEach((name, nanos) -> {
            double ms = (nanos - before.byChildProcess().getOrDefault(name, 0L)) / 1e6 / orders;
            if (ms > 0) {
                out.put(name, ms);
            }
        });
        return out;
    }

    /** CPU milliseconds of everything measured (this JVM and the servers' processes) between two snapshots. */
    static double totalMillis(Snapshot before, Snapshot after) {
        double children = after.byChildProcess().entrySet().stream()
                .mapToLong(e -> e.getValue() - before.byChildProcess().getOrDefault(e.getKey(), 0L)).sum();
        return (after.jvmNanos() - before.jvmNanos() + children) / 1e6;
    }

    /** CPU milliseconds of PostgreSQL's processes between two snapshots. */
    static double postgresMillis(Snapshot before, Snapshot after) {
        return after.byChildProcess().entrySet().stream().filter(e -> e.getKey().startsWith("PostgreSQL"))
                .mapToLong(e -> e.getValue() - before.byChildProcess().getOrDefault(e.getKey(), 0L)).sum() / 1e6;
    }

    /** The share of the machine's cores that was busy over {@code wallMillis}, in percent. */
    static double busyPercent(Snapshot before, Snapshot after, double wallMillis) {
        return 100 * totalMillis(before, after) / (wallMillis * Runtime.getRuntime().availableProcessors());
    }

    static String table(Map<String, Double> perOrder) {
        StringBuilder out = new StringBuilder("| component | CPU ms per order |\n| --- | ---: |\n");
        perOrder.forEach((name, ms) -> out.append(String.format("| %s | %.2f |%n", name, ms)));
        return out.toString();
    }

    /**
     * The servers' processes: this JVM's descendants (the broker), and every process started with this run's
     * {@code orderflow.home} among its arguments (PostgreSQL's postmaster, which pg_ctl detaches) with its own.
     */
    private static Stream<ProcessHandle> servers() {
        String home = System.getProperty("orderflow.home", "\u0000");
        Set<Long> seen = new HashSet<>();
        return Stream.concat(ProcessHandle.current().descendants(),
                        ProcessHandle.allProcesses().filter(p -> String.join(" ", p.info().arguments()
                                .orElse(new String[0])).contains(home))
                                .flatMap(p -> Stream.concat(Stream.of(p),
                                        p.descendants())))
                .filter(p -> seen.add(p.pid()));
    }

    private static String group(String threadName) {
        return DIGITS.matcher(threadName).replaceAll("N");
    }

    private static String childName(ProcessHandle child) {
        String command = child.info().command().orElse("?");
        String args = String.join(" ", child.info().arguments().orElse(new String[0]));
        if (command.contains("postgres")) {
            return "PostgreSQL (all its processes)";
        }
        // The only JVM among the servers is the broker's (its arguments are not always readable from /proc).
        if (args.contains("Broker") || args.contains("kafka") || command.endsWith("/java")) {
            return "Kafka broker";
        }
        return Path.of(command).getFileName().toString();
    }

    /** utime + stime of a process, from /proc; -1 where it cannot be read (not Linux, or it ended). */
    private static long procCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
