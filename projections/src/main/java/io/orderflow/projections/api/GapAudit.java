package io.orderflow.projections.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Compares the events in the event store with what each projection has applied, and names every aggregate whose
 * projection is behind an event it should already hold (docs/engineering-notes.md, trap 4: an event skipped for
 * good).
 */
public interface GapAudit {

    /**
     * Audits the projections up to the given horizons: only events at or below a projection's horizon (a global
     * index of the store) are expected to be applied. A projection without a horizon is not audited this time.
     */
    Report audit(Map<String, Long> horizons);

    /** The outcome for every projection. */
    record Report(Instant at, List<ProjectionResult> projections) {

        public long skipped() {
            return projections.stream().mapToLong(result -> result.skipped().size()).sum();
        }
    }

    /**
     * One projection's outcome.
     *
     * @param status  {@code OK}, {@code GAPS}, or {@code NOT_AUDITED} (no horizon: rebuilding, replaying or lagging)
     * @param horizon the global index up to which events were compared
     * @param skipped events the projection does not hold and no dead letter explains: lost for good unless replayed
     * @param parked  events the projection does not hold because their sequence is parked in the dead-letter queue
     */
    record ProjectionResult(String projection, String status, Long horizon, List<Gap> skipped, List<Gap> parked) {
    }

    /** An aggregate whose projection is behind the store. */
    record Gap(String aggregateId, long storedSequence, Long appliedSequence, String missingEvent) {
    }
}
