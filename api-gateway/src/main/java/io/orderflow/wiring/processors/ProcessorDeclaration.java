package io.orderflow.wiring.processors;

import java.util.List;
import java.util.Objects;

/**
 * Everything the application decides about one event processor, in one value: where it reads, how many segments
 * and events per batch it runs with, which events form one sequence, what happens to an event its handler fails
 * on, and whether an operator may replay it.
 *
 * <p>Each processor is declared by one bean of this type, in a file of its own in this package (the processor's
 * handlers name it in their {@code @ProcessingGroup}). The application registers every declaration with Axon
 * ({@code EventProcessorsConfiguration}), and the operator console answers from them ({@link ProcessorCatalog}):
 * adding a processor is adding one file here. A replayable projection's rebuild beside the served data (ADR 0010)
 * and its gap audit are the read side's own (module {@code projections}), keyed by the same name.
 *
 * @param name                 the processing group, as the operations API shows it
 * @param source               the event store, or Kafka topics
 * @param segments             how many segments (threads) share the work
 * @param batchSize            events per transaction
 * @param keyedLikeKafka       whether the events of one Kafka key (an order, a customer) form one sequence; if
 *                             not, Axon's default (one aggregate's events) applies
 * @param failures             what a failing event does
 * @param notReplayableBecause why an operator may not replay it, or null if they may
 */
public record ProcessorDeclaration(String name, Source source, int segments, int batchSize, boolean keyedLikeKafka,
                                   Failures failures, String notReplayableBecause) {

    public ProcessorDeclaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(failures, "failures");
        if (segments < 1 || batchSize < 1) {
            throw new IllegalArgumentException(name + ": segments and batch size must be at least 1, were "
                    + segments + " and " + batchSize);
        }
    }

    /** Whether an operator may replay the processor (and, for a projection, rebuild it). */
    public boolean replayable() {
        return notReplayableBecause == null;
    }

    /** Where a processor reads its events. */
    public sealed interface Source permits EventStore, KafkaTopics {

        /** The topics it reads, empty for the event store. */
        List<String> topics();
    }

    /**
     * The event store, through Axon's pooled streaming processor: one thread reads for all segments, and a replay
     * reads the whole history again.
     */
    public record EventStore() implements Source {
        @Override
        public List<String> topics() {
            return List.of();
        }
    }

    /**
     * Kafka topics, through a tracking processor: each segment's thread reads at its own token of partition
     * offsets, kept in the token store with what the processor writes (ADR 0008 says why not pooled).
     */
    public record KafkaTopics(List<String> topics) implements Source {
        public KafkaTopics {
            topics = List.copyOf(topics);
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("a Kafka source reads at least one topic");
            }
        }
    }

    /** What a failing event does (ADR 0012). */
    public enum Failures {
        /**
         * Its sequence (one order's or customer's events) is parked in the dead-letter queue while the others flow;
         * an operator retries or deletes it. A replay of a replayable processor forgets the old letters.
         */
        PARK,
        /** The batch fails and the processor retries it with back-off: nothing after it is handled meanwhile. */
        STOP_AND_RETRY,
        /** As the Kafka extension configures its publisher, which fails the batch and retries it. */
        KAFKA_PUBLISHER
    }
}
