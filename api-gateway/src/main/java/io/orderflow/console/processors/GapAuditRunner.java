package io.orderflow.console.processors;

import io.swagger.v3.oas.annotations.Operation;
import io.orderflow.projections.api.ProjectionProcessors;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.projections.api.GapAudit;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the gap audit on a schedule ({@code orderflow.audit.interval}, default 60 s) and on demand
 * ({@code GET /api/admin/gap-audit}; one audit at a time, and requests that arrive during one share the next), and
 * reports it in health ({@code projectionGaps}, status {@code GAPS} while anything was skipped) and metrics
 * ({@code orderflow.projection.gaps.skipped} and {@code ...parked} per projection).
 *
 * <p>Each projection is audited up to a horizon it has certainly read past: for a projection of the store, the
 * lowest position of its segments (none while it replays); for analytics, which reads Kafka, the position the
 * publisher had forwarded before analytics was seen with no lag.
 */
@Component
@RestController
class GapAuditRunner implements HealthIndicator {

    static final Status GAPS = new Status("GAPS", "a projection misses events that no dead letter explains");
    private static final Logger LOG = LoggerFactory.getLogger(GapAuditRunner.class);
    private static final List<String> STORE_PROJECTIONS = List.of(ProjectionProcessors.ORDER_SUMMARY,
            ProjectionProcessors.CUSTOMER_PROFILE);
    private static final String ANALYTICS = ProjectionProcessors.ANALYTICS;

    private final GapAudit audit;
    private final ProcessorInspector inspector;
    private final AtomicReference<GapAudit.Report> last = new AtomicReference<>();
    private Run lastRun;

    GapAuditRunner(GapAudit audit, ProcessorInspector inspector, MeterRegistry meters) {
        this.audit = audit;
        this.inspector = inspector;
        for (String projection : List.of(ProjectionProcessors.ORDER_SUMMARY, ProjectionProcessors.CUSTOMER_PROFILE,
                ANALYTICS)) {
            Gauge.builder("orderflow.projection.gaps.skipped", this, runner -> runner.count(projection, true))
                    .description("Events the projection does not hold and no dead letter explains (last audit)")
                    .tag("projection", projection).register(meters);
            Gauge.builder("orderflow.projection.gaps.parked", this, runner -> runner.count(projection, false))
                    .description("Events the projection does not hold because their sequence is parked")
                    .tag("projection", projection).register(meters);
        }
    }

    // Every AuditProperties#interval (its placeholder, with the same default): a schedule cannot name a bean.
    @Scheduled(fixedDelayString = "${orderflow.audit.interval:60s}",
            initialDelayString = "${orderflow.audit.interval:60s}")
    void scheduled() {
        try {
            GapAudit.Report report = run();
            LOG.info("Gap audit: {} event(s) skipped; {}", report.skipped(), report.projections().stream()
                    .map(result -> result.projection() + " " + result.status()
                            + (result.parked().isEmpty() ? "" : " (" + result.parked().size() + " parked)"))
                    .toList());
        } catch (RuntimeException e) {
            LOG.warn("The gap audit could not run; it will be tried again", e);
        }
    }

    @Operation(operationId = "runGapAudit", summary = "Run the gap audit",
            description = "Compares each projection with the event store and names what it skipped. An audit "
                    + "reads every projection whole, so only one runs at a time: requests that arrive while one "
                    + "runs wait and share the next.")
    @GetMapping(path = "/api/admin/gap-audit", produces = MediaType.APPLICATION_JSON_VALUE)
    GapAudit.Report onDemand() {
        Instant asked = Instant.now();
        synchronized (this) {
            // An audit that began after this request arrived (another caller's, or the schedule's) answers it too.
            Run latest = lastRun;
            if (latest != null && !latest.startedAt().isBefore(asked)) {
                return latest.report();
            }
            return run();
        }
    }

    /** An audit and when it began. */
    private record Run(Instant startedAt, GapAudit.Report report) {
    }

    /** Audits now; the schedule and {@link #onDemand} call it, never two at once. */
    synchronized GapAudit.Report run() {
        Instant started = Instant.now();
        Map<String, Long> horizons = new HashMap<>();
        Long forwarded = lowestPosition(ProcessorCatalog.KAFKA_PUBLISHER);
        for (String projection : STORE_PROJECTIONS) {
            Long position = lowestPosition(projection);
            if (position != null) {
                horizons.put(projection, position);
            }
        }
        if (forwarded != null && inspector.one(ANALYTICS).map(view -> view.lag() != null && view.lag() == 0
                && !view.replaying() && "RUNNING".equals(view.status())).orElse(false)) {
            horizons.put(ANALYTICS, forwarded);
        }
        GapAudit.Report report = audit.audit(horizons);
        last.set(report);
        lastRun = new Run(started, report);
        return report;
    }

    @Override
    public Health health() {
        GapAudit.Report report = last.get();
        if (report == null) {
            return Health.unknown().withDetail("audit", "not run yet").build();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("auditedAt", report.at());
        for (GapAudit.ProjectionResult result : report.projections()) {
            details.put(result.projection(), Map.of("status", result.status(),
                    "skipped", result.skipped().size(), "parked", result.parked().size()));
        }
        return Health.status(report.skipped() == 0 ? Status.UP : GAPS).withDetails(details).build();
    }

    /** The lowest position of the processor's segments, if it runs, reports every segment and is not replaying. */
    private Long lowestPosition(String processor) {
        StreamingEventProcessor streaming = inspector.streaming(processor).orElse(null);
        if (streaming == null || !streaming.isRunning() || streaming.isError()) {
            return null;
        }
        Map<Integer, EventTrackerStatus> statuses = streaming.processingStatus();
        if (statuses.isEmpty() || statuses.size() < inspector.segmentCount(processor)) {
            return null;
        }
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus status : statuses.values()) {
            OptionalLong position = status.getCurrentPosition();
            if (status.isReplaying() || status.isErrorState() || position.isEmpty()) {
                return null;
            }
            lowest = Math.min(lowest, position.getAsLong());
        }
        return lowest;
    }

    private double count(String projection, boolean skipped) {
        GapAudit.Report report = last.get();
        if (report == null) {
            return 0;
        }
        return report.projections().stream().filter(result -> result.projection().equals(projection))
                .mapToInt(result -> skipped ? result.skipped().size() : result.parked().size()).sum();
    }
}
