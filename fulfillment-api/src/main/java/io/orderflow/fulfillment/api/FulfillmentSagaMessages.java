package io.orderflow.fulfillment.api;

import jakarta.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/** The operator's view of the running fulfillment sagas ({@code GET /api/admin/sagas}). */
public final class FulfillmentSagaMessages {

    private FulfillmentSagaMessages() {
    }

    /**
     * Answers the active fulfillment sagas, oldest first, optionally only those at one step ({@code STUCK} finds the
     * ones that need an operator), at most {@code limit}.
     */
    public record FindFulfillmentSagasQuery(@Nullable String step, int limit) {
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
