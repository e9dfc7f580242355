package io.orderflow.console.processors;

import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.projections.api.ProjectionRebuilds;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the state of every event processor: status, the claim of each segment in the token store, its position
 * and the head of its source, the lag between them, and the progress of a replay.
 *
 * <p>Positions are global indexes for processors of the event store, and for processors of Kafka the number of
 * records consumed over all partitions; the head is measured in the same unit, so lag is head minus position.
 */
@Component
public class ProcessorInspector {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final KafkaHeads kafkaHeads;
    private final JdbcTemplate jdbc;
    private final ProjectionRebuilds rebuilds;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private final TransactionManager transactions;

    private final Serializer serializer;

    private final ProcessorCatalog catalog;

    ProcessorInspector(EventProcessingConfiguration processing, EventStore eventStore, KafkaHeads kafkaHeads,
                       JdbcTemplate jdbc, ProjectionRebuilds rebuilds, TransactionManager transactions,
                       Serializer serializer, ProcessorCatalog catalog) {
        this.catalog = catalog;
        this.transactions = transactions;
        this.serializer = serializer;
        this.processing = processing;
        this.eventStore = eventStore;
        this.kafkaHeads = kafkaHeads;
        this.jdbc = jdbc;
        this.rebuilds = rebuilds;
    }

    List<ProcessorView> all() {
        return processing.eventProcessors().values().stream()
                .sorted(Comparator.comparing(EventProcessor::getName))
                .map(this::view)
                .toList();
    }

    Optional<ProcessorView> one(String name) {
        return processing.eventProcessor(name).map(this::view);
    }

    /** {@code event-store} for a processor of the event store, {@code kafka} for one that reads Kafka topics. */
    String sourceKind(String name) {
        return catalog.kafkaTopicsOf(name).isEmpty() ? "event-store" : "kafka";
    }

    /** The processor of the name, if it is a streaming one (all of this application's are). */
    public Optional<StreamingEventProcessor> streaming(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class);
    }

    /**
     * Whether the rebuild of a projection has caught up: every segment runs, and its committed token has read past
     * the head its source had when the rebuild was first seen (which is at or after the reset). The rebuilt
     * generation then holds all that the served one held.
     *
     * <p>The tokens are read from the token store, not from the processor's statuses: after a restart the pooled
     * processor keeps reporting a segment's status from before the restart (at the old head) until that segment
     * has handled its first batch, which on a large store can take seconds. Judged by those statuses, a replay
     * looked finished before it had begun. Committed tokens also mean that every row counted is committed. Axon's
     * replay flag is not used either: a replay token stays one until an event after the reset arrives, which on
     * a quiet system may be never.
     */
    public boolean replayCaughtUp(String name) {
        Optional<StreamingEventProcessor> found = streaming(name);
        if (found.isEmpty() || !found.get().isRunning() || found.get().isError()) {
            return false;
        }
        List<String> topics = catalog.kafkaTopicsOf(name);
        Optional<Target> target = rebuildTarget(name, topics);
        List<Integer> segments = storedSegments(name);
        if (target.isEmpty() || segments.isEmpty()
                || found.get().processingStatus().values().stream().anyMatch(EventTrackerStatus::isErrorState)) {
            return false;
        }
        for (int segment : segments) {
            TrackingToken token = storedToken(name, segment);
            if (token == null || !passedReset(token) || target.get().fractionDone(token, topics.isEmpty()) < 1.0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a segment's token has come at least to where it stood when the replay was started: a replay token
     * carries that position, so this holds whatever head was measured. Any other token is past its replay.
     */
    private static boolean passedReset(TrackingToken token) {
        if (!(token instanceof ReplayToken replay)) {
            return true;
        }
        TrackingToken atReset = WrappedToken.unwrapUpperBound(replay.getTokenAtReset());
        return atReset == null || replay.getCurrentToken() != null && replay.getCurrentToken().covers(atReset);
    }

    /** Forgets the target of a finished rebuild, so that the next one measures its own. */
    void rebuildFinished(String name) {
        targets.remove(name);
    }

    /** The lowest position of the processor's segments on this instance, if it reports any. */
    public Optional<Long> lowestPosition(String name) {
        return streaming(name).flatMap(processor -> processor.processingStatus().values().stream()
                .map(EventTrackerStatus::getCurrentPosition).filter(OptionalLong::isPresent)
                .map(OptionalLong::getAsLong).min(Long::compare));
    }

    /**
     * The lag of a Kafka-reading processor on one topic: the records of the topic's partitions that its slowest
     * segment has not read yet. Null if the processor does not read the topic or reports no segment here.
     */
    Long kafkaLag(String name, String topic, Map<TopicPartition, Long> ends) {
        if (!catalog.kafkaTopicsOf(name).contains(topic)) {
            return null;
        }
        Map<TopicPartition, Long> topicEnds = new HashMap<>(ends);
        topicEnds.keySet().removeIf(partition -> !partition.topic().equals(topic));
        return segmentTokens(name, streaming(name).map(StreamingEventProcessor::processingStatus).orElse(Map.of()))
                .values().stream().map(token -> unread(topicEnds, current(token))).max(Long::compare).orElse(null);
    }

    /**
     * The token of every segment: where it is processed here, its status's; otherwise (paused, or claimed by another
     * instance) the one in the token store, read without claiming it. Null for a segment that has no token yet.
     */
    private Map<Integer, TrackingToken> segmentTokens(String name, Map<Integer, EventTrackerStatus> statuses) {
        Map<Integer, TrackingToken> tokens = new TreeMap<>();
        for (int segment : storedSegments(name)) {
            EventTrackerStatus status = statuses.get(segment);
            // A segment that has read nothing yet has no token: listed all the same, with everything still to read.
            tokens.put(segment, status != null ? status.getTrackingToken() : storedToken(name, segment));
        }
        return tokens;
    }

    private List<Integer> storedSegments(String name) {
        return jdbc.queryForList("SELECT segment FROM token_entry WHERE processor_name = ? ORDER BY segment",
                Integer.class, name);
    }

    /** A segment's token as stored, read without claiming it; null if it has none or it cannot be read. */
    private TrackingToken storedToken(String name, int segment) {
        return jdbc.query("SELECT token, token_type FROM token_entry WHERE processor_name = ? AND segment = ?",
                (row, i) -> {
                    byte[] token = row.getBytes(1);
                    String type = row.getString(2);
                    if (token == null || type == null) {
                        return null;
                    }
                    try {
                        return (TrackingToken) serializer.deserialize(
                                new SimpleSerializedObject<>(token, byte[].class, type, null));
                    } catch (RuntimeException unreadable) {
                        return null;
                    }
                }, name, segment).stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static Long positionOf(TrackingToken token) {
        return token == null || token.position().isEmpty() ? null : token.position().getAsLong();
    }

    /** How many segments the processor has in the token store. */
    int segmentCount(String name) {
        Integer segments = jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE processor_name = ?",
                Integer.class, name);
        return segments == null ? 0 : segments;
    }

    /** The head a rebuild of the projection must reach, taken when the rebuild is first seen; empty if none runs. */
    private Optional<Target> rebuildTarget(String name, List<String> topics) {
        if (!rebuilds.projections().contains(name) || rebuilds.rebuildOf(name).isEmpty()) {
            targets.remove(name);
            return Optional.empty();
        }
        Target target = targets.get(name);
        if (target == null) {
            Head head = topics.isEmpty() ? storeHead() : kafkaHead(topics);
            if (head.value() == null) {
                return Optional.empty();
            }
            target = new Target(head.value(), head.ends());
            targets.put(name, target);
        }
        return Optional.of(target);
    }

    /**
     * The head a rebuild must reach: a global index of the store, or the end offset of every partition.
     */
    private record Target(long position, Map<TopicPartition, Long> ends) {

        /** How much of the way to this target a segment's token has come, from 0 to 1. */
        double fractionDone(TrackingToken token, boolean store) {
            if (store) {
                Long current = positionOf(current(token));
                return position <= 0 ? 1.0 : current == null ? 0.0 : Math.min(1.0, (double) current / position);
            }
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            return total == 0 ? 1.0 : (double) (total - unread(ends, current(token))) / total;
        }
    }

    private ProcessorView view(EventProcessor processor) {
        String name = processor.getName();
        List<String> topics = catalog.kafkaTopicsOf(name);
        String source = topics.isEmpty() ? "event-store" : "kafka:" + String.join(",", topics);
        String notReplayable = catalog.whyNotReplayable(name);
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new ProcessorView(name, source, processor.isRunning() ? "RUNNING" : "PAUSED", false, null, null,
                    null, false, "not a streaming processor", List.of(), "subscribing", null, null, null, null);
        }
        Map<Integer, String> owners = new TreeMap<>();
        jdbc.query("SELECT segment, owner FROM token_entry WHERE processor_name = ?",
                row -> {
                    owners.put(row.getInt(1), row.getString(2));
                }, name);
        int[] segmentIds = owners.keySet().stream().mapToInt(Integer::intValue).toArray();
        Map<Integer, EventTrackerStatus> statuses = streaming.processingStatus();
        Head head = topics.isEmpty() ? storeHead() : kafkaHead(topics);
        Optional<Target> target = rebuildTarget(name, topics);

        List<ProcessorView.Segment> segments = new ArrayList<>();
        String error = null;
        boolean replaying = false;
        Double progress = null;
        Long lag = null;
        for (Map.Entry<Integer, TrackingToken> entry : segmentTokens(name, statuses).entrySet()) {
            int segment = entry.getKey();
            TrackingToken token = current(entry.getValue());
            Long position = topics.isEmpty() ? positionOf(token) : Long.valueOf(consumed(token));
            Long segmentLag = head.lagOf(token, position);
            if (segmentLag != null) {
                lag = lag == null ? segmentLag : Math.max(lag, segmentLag);
            }
            EventTrackerStatus status = statuses.get(segment);
            boolean segmentReplaying = false;
            if (status != null && status.isErrorState() && status.getError() != null) {
                error = status.getError().toString();
            }
            if (target.isPresent()) {
                // Progress from the committed token, as the switch is judged (see replayCaughtUp).
                TrackingToken committed = storedToken(name, segment);
                double fraction = committed == null ? 0.0 : target.get().fractionDone(committed, topics.isEmpty());
                segmentReplaying = fraction < 1.0;
                if (segmentReplaying) {
                    replaying = true;
                    double percent = Math.floor(fraction * 1000) / 10;
                    progress = progress == null ? percent : Math.min(progress, percent);
                }
            }
            // The Kafka head is cached for half a second; a segment that read past it shows the head it reached.
            // (Not a conditional expression: its long branch would unbox a head that is unknown, as while Kafka is
            // unreachable, and fail the whole listing.)
            Long segmentHead = head.value();
            if (segmentHead != null && position != null) {
                segmentHead = Math.max(segmentHead, position);
            }
            Segment shape = Segment.computeSegment(segment, segmentIds);
            segments.add(new ProcessorView.Segment(segment, owners.get(segment), position, segmentHead, segmentLag,
                    segmentReplaying, 1.0 / (shape.getMask() + 1)));
        }
        String state = streaming.isError() || error != null ? "ERROR" : streaming.isRunning() ? "RUNNING" : "PAUSED";
        Long lowest = segments.stream().map(ProcessorView.Segment::position).filter(java.util.Objects::nonNull)
                .min(Long::compare).orElse(null);
        Double throughput = throughput(name, lowest);
        return new ProcessorView(name, source, state, replaying, progress, lag, error,
                notReplayable == null && streaming.supportsReset(),
                notReplayable != null ? notReplayable : streaming.supportsReset() ? null
                        : "its handlers do not allow a replay",
                segments,
                streaming instanceof PooledStreamingEventProcessor ? "pooled-streaming" : "tracking",
                lagSeconds(topics.isEmpty(), lag, lowest, throughput), throughput, deadLetters(name),
                rebuilds.projections().contains(name) ? rebuilds.lastRebuiltAt(name).orElse(null) : null);
    }

    /**
     * Events (or records) per second, from the lowest segment position now and a few seconds ago. Each listing
     * call takes a sample; a rate needs two at least a second apart.
     */
    private Double throughput(String name, Long position) {
        if (position == null) {
            return null;
        }
        long now = System.nanoTime();
        Sample last = samples.get(name);
        if (last == null || position < last.position()) {
            samples.put(name, new Sample(now, position, null));
            return null;
        }
        double seconds = (now - last.at()) / 1e9;
        if (seconds < 1.0) {
            return last.rate();
        }
        double rate = Math.round((position - last.position()) / seconds * 10) / 10.0;
        samples.put(name, new Sample(now, position, rate));
        return rate;
    }

    private record Sample(long at, long position, Double rate) {
    }

    /** For the store, the age of the oldest event not yet handled; for Kafka, the lag at the current rate. */
    private Double lagSeconds(boolean store, Long lag, Long lowest, Double throughput) {
        if (lag == null) {
            return null;
        }
        if (lag == 0) {
            return 0.0;
        }
        if (!store) {
            return throughput == null || throughput <= 0 ? null : Math.round(lag / throughput * 10) / 10.0;
        }
        if (lowest == null) {
            return null;
        }
        return jdbc.query("SELECT time_stamp FROM domain_event_entry WHERE global_index > ? "
                        + "ORDER BY global_index LIMIT 1", (row, i) -> row.getString(1), lowest).stream().findFirst()
                .map(stamp -> Math.max(0, java.time.Duration.between(java.time.Instant.parse(stamp),
                        java.time.Instant.now()).toMillis() / 1000.0))
                .orElse(0.0);
    }

    /** Parked sequences in the processor's dead-letter queue; null if it has none. */
    private Long deadLetters(String name) {
        return processing.deadLetterQueue(name)
                .map(queue -> transactions.fetchInTransaction(queue::amountOfSequences))
                .orElse(null);
    }

    private static TrackingToken current(TrackingToken token) {
        return token instanceof ReplayToken replay ? replay.getCurrentToken() : token;
    }

    /** Records consumed according to a Kafka token: the last offset read of each partition, plus one. */
    private static long consumed(TrackingToken token) {
        if (!(token instanceof KafkaTrackingToken kafka)) {
            return 0;
        }
        return kafka.getPositions().values().stream().mapToLong(offset -> offset + 1).sum();
    }

    /** Records of these partitions (next offsets) that a Kafka token has not read yet; all of them without one. */
    private static long unread(Map<TopicPartition, Long> ends, TrackingToken token) {
        Map<TopicPartition, Long> read = token instanceof KafkaTrackingToken kafka ? kafka.getPositions() : Map.of();
        return ends.entrySet().stream()
                .mapToLong(end -> Math.max(0, end.getValue() - read.getOrDefault(end.getKey(), -1L) - 1))
                .sum();
    }

    private Head storeHead() {
        TrackingToken head = eventStore.createHeadToken();
        Long position = head == null ? null : head.position().isPresent() ? head.position().getAsLong() : null;
        return new Head(position, null);
    }

    private Head kafkaHead(List<String> topics) {
        Map<TopicPartition, Long> ends = kafkaHeads.endOffsets(topics);
        if (ends.isEmpty()) {
            return new Head(null, null);
        }
        return new Head(ends.values().stream().mapToLong(Long::longValue).sum(), ends);
    }

    /** The head of a source; for Kafka, with the end offset of each partition, to measure lag per partition. */
    private record Head(Long value, Map<TopicPartition, Long> ends) {

        Long lagOf(TrackingToken token, Long position) {
            if (value == null || position == null) {
                return null;
            }
            if (ends == null) {
                return Math.max(0, value - position);
            }
            return unread(ends, token);
        }
    }
}
