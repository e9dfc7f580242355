package io.orderflow.infra.payment;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults the {@link PaymentProviderSimulator} is told to inject; safe to change while requests are served.
 *
 * <ul>
 *   <li>latency: a sleep before each authorization is processed, so a client that gives up may still be charged
 *       later, as with a real provider;</li>
 *   <li>fail next N: the next N authorization, void and status requests answer 503 and do nothing;</li>
 *   <li>drop response after charge next N: the next N authorizations are processed and committed, then the
 *       connection is closed without an answer;</li>
 *   <li>reject next N: the next N authorizations are refused with 422, as a provider refuses a request it will
 *       never accept (a final answer, nothing charged).</li>
 * </ul>
 */
public final class SimulatorFaults {

    private final AtomicLong latencyMillis = new AtomicLong();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger dropResponseAfterChargeNext = new AtomicInteger();
    private final AtomicInteger rejectNext = new AtomicInteger();

    SimulatorFaults() {
    }

    /** The faults as they stand, for the HTTP control endpoint and for logging. */
    public record Snapshot(long latencyMs, int failNext, int dropResponseAfterChargeNext, int rejectNext) {
    }

    /** Sleeps {@code latency} before processing each authorization; zero turns it off. */
    public SimulatorFaults latency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        latencyMillis.set(latency.toMillis());
        return this;
    }

    /** Answers the next {@code count} authorization, void and status requests with 503, doing nothing. */
    public SimulatorFaults failNext(int count) {
        failNext.set(requireNotNegative(count, "failNext"));
        return this;
    }

    /** Processes the next {@code count} authorizations, then closes their connections without an answer. */
    public SimulatorFaults dropResponseAfterChargeNext(int count) {
        dropResponseAfterChargeNext.set(requireNotNegative(count, "dropResponseAfterChargeNext"));
        return this;
    }

    /** Refuses the next {@code count} authorizations with 422, charging nothing. */
    public SimulatorFaults rejectNext(int count) {
        rejectNext.set(requireNotNegative(count, "rejectNext"));
        return this;
    }

    /** Applies them all at once, as the HTTP control endpoint does. */
    public SimulatorFaults set(Snapshot faults) {
        requireNotNegative(faults.latencyMs(), "latencyMs");
        failNext(faults.failNext());
        dropResponseAfterChargeNext(faults.dropResponseAfterChargeNext());
        rejectNext(faults.rejectNext());
        latencyMillis.set(faults.latencyMs());
        return this;
    }

    /** Turns every fault off. */
    public SimulatorFaults reset() {
        return set(new Snapshot(0, 0, 0, 0));
    }

    /** The current settings and remaining counts. */
    public Snapshot snapshot() {
        return new Snapshot(latencyMillis.get(), failNext.get(), dropResponseAfterChargeNext.get(),
                rejectNext.get());
    }

    long latencyMillis() {
        return latencyMillis.get();
    }

    /** Takes one pending failure, if any; concurrent requests never take the same one. */
    boolean consumeFailure() {
        return consume(failNext);
    }

    boolean consumeRejection() {
        return consume(rejectNext);
    }

    boolean consumeDroppedResponse() {
        return consume(dropResponseAfterChargeNext);
    }

    private static boolean consume(AtomicInteger counter) {
        return counter.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    private static int requireNotNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    private static long requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }
}
