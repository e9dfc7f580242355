package io.orderflow.console.processors;

import io.orderflow.projections.api.ProjectionRebuilds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finishes the rebuild of a projection once its replay has caught up (ADR 0010): from then on reads see the rebuilt
 * generation, and the old one is deleted. Until then reads keep the old, complete data. Checked every
 * {@code orderflow.projections.rebuild-check} (default 500 ms), so the switch follows the catch-up closely.
 */
@Component
class RebuildCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildCompletion.class);

    private final ProjectionRebuilds rebuilds;
    private final ProcessorInspector inspector;

    RebuildCompletion(ProjectionRebuilds rebuilds, ProcessorInspector inspector) {
        this.rebuilds = rebuilds;
        this.inspector = inspector;
    }

    // Every ProjectionsProperties#rebuildCheck (its placeholder, with the same default): a schedule cannot name a bean.
    @Scheduled(fixedDelayString = "${orderflow.projections.rebuild-check:500ms}", initialDelayString = "5s")
    void finishCaughtUpRebuilds() {
        for (String projection : rebuilds.projections()) {
            try {
                rebuilds.rebuildOf(projection).ifPresent(rebuild -> {
                    if (inspector.replayCaughtUp(projection) && rebuilds.finishRebuild(projection)) {
                        inspector.rebuildFinished(projection);
                        LOG.info("Rebuild of {} finished after {}", projection,
                                java.time.Duration.between(rebuild.startedAt(), java.time.Instant.now()));
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("Could not check the rebuild of {}; trying again", projection, e);
            }
        }
    }
}
