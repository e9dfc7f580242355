package io.orderflow.projections.audit;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.api.GapAudit;
import io.orderflow.projections.generation.ProjectionGenerations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gap audit (docs/engineering-notes.md, trap 4). For each projection it compares, up to a horizon the
 * projection has certainly read past, the events in the event store with what the projection holds in its served
 * generation:
 *
 * <ul>
 *     <li>order summary: the last sequence number of each order against the summary's version;</li>
 *     <li>customer profile: the last sequence number of each customer against the profile's version;</li>
 *     <li>analytics (from Kafka): every order accepted, completed, failed or cancelled in the store against the
 *     fact recorded for that order.</li>
 * </ul>
 *
 * <p>A difference that a parked dead letter explains is reported as parked; any other one as skipped, naming the
 * aggregate. At most {@value #MAX_NAMED} of each are named per projection.
 */
@Component
class ProjectionGapAudit implements GapAudit {

    private static final int MAX_NAMED = 100;
    private static final String ORDER_EVENTS = "io.orderflow.order.api.";
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionGapAudit.class);

    private final JdbcTemplate jdbc;
    private final ProjectionGenerations generations;
    private final Clock clock;

    ProjectionGapAudit(JdbcTemplate jdbc, ProjectionGenerations generations, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.generations = generations;
        this.clock = clock.orElseGet(Clock::systemUTC);
    }

    @Override
    public Report audit(Map<String, Long> horizons) {
        List<ProjectionResult> results = new ArrayList<>();
        results.add(audit(ProjectionProcessors.ORDER_SUMMARY, horizons, this::orderSummaryGaps));
        results.add(audit(ProjectionProcessors.CUSTOMER_PROFILE, horizons, this::customerProfileGaps));
        results.add(audit(ProjectionProcessors.ANALYTICS, horizons, this::analyticsGaps));
        Report report = new Report(clock.instant(), results);
        for (ProjectionResult result : results) {
            if (!result.skipped().isEmpty()) {
                LOG.error("Gap audit: projection {} is missing events it should hold, up to global index {}: {}",
                        result.projection(), result.horizon(), result.skipped());
            }
        }
        return report;
    }

    private interface Finder {
        List<GapAudit.Gap> gaps(int generation, long horizon);
    }

    private ProjectionResult audit(String projection, Map<String, Long> horizons, Finder finder) {
        Long horizon = horizons.get(projection);
        if (horizon == null || generations.rebuildOf(projection).isPresent()) {
            return new ProjectionResult(projection, "NOT_AUDITED", null, List.of(), List.of());
        }
        List<GapAudit.Gap> gaps = finder.gaps(generations.serving(projection), horizon);
        Set<String> parkedSequences = parkedSequences(projection);
        Map<Boolean, List<GapAudit.Gap>> byParked = gaps.stream()
                .collect(Collectors.partitioningBy(gap -> parkedSequences.contains(gap.aggregateId())));
        List<GapAudit.Gap> skipped = byParked.get(false);
        return new ProjectionResult(projection, skipped.isEmpty() ? "OK" : "GAPS", horizon, skipped,
                byParked.get(true));
    }

    private Set<String> parkedSequences(String projection) {
        return Set.copyOf(jdbc.queryForList("SELECT DISTINCT sequence_identifier FROM dead_letter_entry "
                + "WHERE processing_group = ?", String.class, projection));
    }

    private List<GapAudit.Gap> orderSummaryGaps(int generation, long horizon) {
        return versionGaps("order_summary", "order_id", "Order", generation, horizon);
    }

    private List<GapAudit.Gap> customerProfileGaps(int generation, long horizon) {
        return versionGaps("customer_profile", "customer_id", "CustomerProfile", generation, horizon);
    }

    /**
     * The aggregates whose last event (up to the horizon) is newer than the version the projection applied. The
     * table, key column and aggregate type are the fixed names above, never input.
     */
    private List<GapAudit.Gap> versionGaps(String table, String key, String aggregateType, int generation,
                                           long horizon) {
        String sql = """
                SELECT e.aggregate_identifier, max(e.sequence_number), max(p.version),
                       (array_agg(e.payload_type ORDER BY e.sequence_number DESC))[1]
                FROM domain_event_entry e
                LEFT JOIN %s p ON p.generation = ? AND p.%s::text = e.aggregate_identifier
                WHERE e.type = ? AND e.global_index <= ?
                GROUP BY e.aggregate_identifier
                HAVING max(p.version) IS NULL OR max(p.version) < max(e.sequence_number)
                LIMIT ?
                """.formatted(table, key);
        return jdbc.query(sql, (row, i) -> new GapAudit.Gap(row.getString(1), row.getLong(2),
                        row.getObject(3) == null ? null : row.getLong(3), simpleName(row.getString(4))),
                generation, aggregateType, horizon, MAX_NAMED);
    }

    private List<GapAudit.Gap> analyticsGaps(int generation, long horizon) {
        return jdbc.query("""
                        SELECT e.aggregate_identifier, e.sequence_number, e.payload_type
                        FROM domain_event_entry e
                        LEFT JOIN analytics_order a ON a.generation = ? AND a.order_id::text = e.aggregate_identifier
                        WHERE e.global_index <= ? AND e.type = 'Order' AND (
                              (e.payload_type = ? AND a.accepted_at IS NULL)
                           OR (e.payload_type = ? AND a.completed_at IS NULL)
                           OR (e.payload_type = ? AND a.failed_at IS NULL)
                           OR (e.payload_type = ? AND a.cancelled_at IS NULL))
                        ORDER BY e.global_index
                        LIMIT ?
                        """,
                (row, i) -> new GapAudit.Gap(row.getString(1), row.getLong(2), null, simpleName(row.getString(3))),
                generation, horizon, ORDER_EVENTS + "OrderAcceptedEvent", ORDER_EVENTS + "OrderCompletedEvent",
                ORDER_EVENTS + "OrderFailedEvent", ORDER_EVENTS + "OrderCancelledEvent", MAX_NAMED);
    }

    private static String simpleName(String type) {
        return type == null ? null : type.substring(type.lastIndexOf('.') + 1);
    }
}
