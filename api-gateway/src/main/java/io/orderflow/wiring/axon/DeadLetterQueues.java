package io.orderflow.wiring.axon;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jpa.JpaSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

import java.util.function.Function;

/**
 * Axon's JPA sequenced dead-letter queue (table {@code dead_letter_entry}) for the projection and notification
 * processors. A handler that fails for an event parks that event's sequence (one order, or one customer) while the
 * other sequences keep flowing; the operator retries or deletes it through {@code /api/admin/dead-letters}.
 */
final class DeadLetterQueues {

    /** Parked sequences per processor before the queue refuses more (each is one order or customer). */
    private static final int MAX_SEQUENCES = 10_000;
    /** Events parked behind one sequence's first failure. */
    private static final int MAX_SEQUENCE_SIZE = 1_000;

    private DeadLetterQueues() {
    }

    /** The queue of a processing group. */
    static Function<Configuration, SequencedDeadLetterQueue<EventMessage<?>>> jpa(String processingGroup) {
        return config -> JpaSequencedDeadLetterQueue.builder()
                .processingGroup(processingGroup)
                .maxSequences(MAX_SEQUENCES)
                .maxSequenceSize(MAX_SEQUENCE_SIZE)
                .entityManagerProvider(config.getComponent(EntityManagerProvider.class))
                .transactionManager(config.getComponent(TransactionManager.class))
                .serializer(config.serializer())
                .build();
    }
}
