package io.orderflow.fulfillment.api;

import jakarta.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The operator's view of the running fulfillment sagas ({@code GET /api/admin/sagas}). */
public final class FulfillmentSagaMessages {

    private FulfillmentSagaMessages() {
    }

    /**
     * Answers the active fulfillment sagas in saga id order, optionally only those at one step ({@code STUCK} finds
     * the ones that need an operator) or only the one of an order, at most {@code limit}; the filters and the limit
     * apply in the database, so a listing reads no more sagas than it answers.
     */
    public record FindFulfillmentSagasQuery(@Nullable String step, @Nullable String orderId, int limit) {

        /** The sagas at a step (or all), at most {@code limit}. */
        public FindFulfillmentSagasQuery(@Nullable String step, int limit) {
            this(step, null, limit);
        }
    }

    /** Answers how many fulfillment sagas are active at each step, for the metrics (one query, no saga read). */
    public record CountFulfillmentSagasQuery() {
    }

    /**
     * The active fulfillment sagas by step ({@code STARTING}, ..., {@code STUCK}); a step with none is absent.
     */
    public record FulfillmentSagaCounts(Map<String, Long> byStep) {

        public FulfillmentSagaCounts {
            byStep = Map.copyOf(byStep);
        }

        /** The sagas that wait for an operator or keep retrying a step they cannot finish. */
        public long stuck() {
            return byStep.getOrDefault("STUCK", 0L);
        }

        /** Every saga not ended yet. */
        public long active() {
            return byStep.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One saga: the order it fulfils, the step it is at, why it is stuck if it is, what it looks up by, and its
     * pending deadlines.
     */
    public record FulfillmentSagaView(String sagaId, String orderId, String step, @Nullable String stuckAt,
                                      @Nullable String stuckCause, @Nullable String failureReason,
                                      boolean cancelled, int paymentAttempts, List<Association> associations,
                                      List<PendingDeadline> deadlines) {
    }

    /** A key the saga is found by. */
    public record Association(String key, String value) {
    }

    /** A persistent deadline of the saga, due at the given time. */
    public record PendingDeadline(String name, String id, @Nullable Instant dueAt) {
    }
}
