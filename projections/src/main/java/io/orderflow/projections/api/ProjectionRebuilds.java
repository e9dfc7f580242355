package io.orderflow.projections.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds of the replayable projections without downtime: while a projection is rebuilt, its reads keep serving
 * the previous, complete data; the rebuilt data replaces it only once the replay has caught up (ADR 0010).
 */
public interface ProjectionRebuilds {

    /** The projections that can be rebuilt, each named after the processing group that builds it. */
    List<String> projections();

    /** The rebuild in progress for the projection, if any. */
    Optional<Rebuild> rebuildOf(String projection);

    /** When the projection last switched to a rebuilt generation, if ever. */
    Optional<Instant> lastRebuiltAt(String projection);

    /**
     * Serves the rebuilt data from now on, if a rebuild of the projection is in progress. The caller has seen its
     * processor catch up with the head of its source.
     *
     * @return whether a rebuild was finished
     */
    boolean finishRebuild(String projection);

    /**
     * A rebuild in progress.
     *
     * @param served   the generation that reads see (the data from before the rebuild)
     * @param building the generation that the replay writes
     */
    record Rebuild(String projection, int served, int building, Instant startedAt) {
    }
}
