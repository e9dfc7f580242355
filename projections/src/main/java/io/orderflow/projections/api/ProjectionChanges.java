package io.orderflow.projections.api;

import java.util.List;
import java.util.Optional;

/**
 * How the projections say that rows changed, so that a reader waiting for a version it has just written is woken
 * instead of polling: a PostgreSQL notification on {@link #CHANNEL}, sent in the projection's transaction and so
 * delivered only once it has committed. Its payload is the projection's name, {@code |}, and the ids of the rows
 * the transaction changed, separated by commas (several notifications when they are many).
 */
public final class ProjectionChanges {

    /** The channel a reader LISTENs on. */
    public static final String CHANNEL = "orderflow_projection_changes";

    private ProjectionChanges() {
    }

    /** One notification: which projection, and the ids of its changed rows. */
    public record Notice(String projection, List<String> ids) {

        /** Reads a payload; empty if it is not one of ours. */
        public static Optional<Notice> parse(String payload) {
            int bar = payload == null ? -1 : payload.indexOf('|');
            if (bar <= 0) {
                return Optional.empty();
            }
            String ids = payload.substring(bar + 1);
            return Optional.of(new Notice(payload.substring(0, bar), ids.isEmpty() ? List.of()
                    : List.of(ids.split(","))));
        }
    }
}
