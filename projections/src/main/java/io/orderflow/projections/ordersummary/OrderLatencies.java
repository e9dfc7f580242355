package io.orderflow.projections.ordersummary;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How long after its acceptance an order reached each fulfillment step and its end, as a histogram per step
 * ({@code orderflow_order_latency_seconds{step=...}}): the service-level objective of order completion is read from
 * it (docs/operations/slos.md). Both ends are the events' own timestamps, so the figure is the flow's, not the
 * projection's; it is recorded when the projection's transaction commits, once per event, and never during a replay.
 */
@Component
public class OrderLatencies {

    /** The steps measured, as the {@code step} tag names them. */
    public static final String STOCK_RESERVED = "stock_reserved";
    public static final String PAYMENT_AUTHORIZED = "payment_authorized";
    public static final String SHIPMENT_ARRANGED = "shipment_arranged";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** The histogram's buckets: the objectives (0.25 s, 30 s) and what an operator asks around them. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1)};

    private final Map<String, Timer> timers;

    public OrderLatencies(MeterRegistry meters) {
        this.timers = Map.of(
                STOCK_RESERVED, timer(meters, STOCK_RESERVED),
                PAYMENT_AUTHORIZED, timer(meters, PAYMENT_AUTHORIZED),
                SHIPMENT_ARRANGED, timer(meters, SHIPMENT_ARRANGED),
                COMPLETED, timer(meters, COMPLETED),
                FAILED, timer(meters, FAILED));
    }

    private static Timer timer(MeterRegistry meters, String step) {
        return Timer.builder("orderflow.order.latency")
                .description("Time from an order's acceptance to the step, by the events' timestamps")
                .tag("step", step)
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(meters);
    }

    /**
     * Records that an order accepted at {@code acceptedAt} reached {@code step} at {@code at}, when the current unit of
     * work commits (at once outside one). A step not measured is ignored.
     */
    void reached(String step, Instant acceptedAt, Instant at) {
        Timer timer = timers.get(step);
        if (timer == null || acceptedAt == null || at == null) {
            return;
        }
        Duration latency = Duration.between(acceptedAt, at);
        if (latency.isNegative()) {
            latency = Duration.ZERO;
        }
        Duration recorded = latency;
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> timer.record(recorded));
        } else {
            timer.record(recorded);
        }
    }
}
