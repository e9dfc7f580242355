package io.orderflow.console.processors;

import io.orderflow.gateway.web.CommandTimeoutException;
import io.orderflow.gateway.web.ConflictException;
import io.orderflow.gateway.web.NotFoundException;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Splits and merges the segments of a streaming processor at run time with Axon's own instructions
 * ({@link StreamingEventProcessor#splitSegment}, {@link StreamingEventProcessor#mergeSegment}), so that the number of
 * segments can follow the number of instances (ADR 0033).
 *
 * <p>A split halves one segment: its token is copied to both halves, and each half then handles half of the
 * sequences (orders, customers) the segment handled; nothing is handled twice and nothing skipped. A merge joins a
 * segment with its sibling (the one it was split from, or split into) at the lower of their two positions: events
 * the further half had already handled may be handed to the handlers again, which they take as the repeats Kafka's
 * at-least-once delivery already brings.
 *
 * <p>Axon carries the instruction out in the instance that processes the segment; this one claims it first if it
 * is free. A segment that another instance holds is refused, naming the holder.
 */
@Component
class ProcessorSegments {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorSegments.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration STORED_WAIT = Duration.ofSeconds(10);

    private final ProcessorInspector inspector;
    private final JdbcTemplate jdbc;

    ProcessorSegments(ProcessorInspector inspector, JdbcTemplate jdbc) {
        this.inspector = inspector;
        this.jdbc = jdbc;
    }

    /**
     * Splits {@code segment} of processor {@code name} in two.
     *
     * @throws NotFoundException       no such processor, or it has no such segment
     * @throws ConflictException       the processor is paused, cannot take another segment here, or the segment is
     *                                 held by another instance
     * @throws CommandTimeoutException Axon did not report the outcome within 30 s
     */
    void split(String name, int segment) {
        List<Integer> segments = segments(name);
        StreamingEventProcessor processor = runningProcessor(name, segment, segments, "split");
        if (processor instanceof TrackingEventProcessor tracking && segments.size() + 1 >= tracking.maxCapacity()) {
            // A tracking processor runs one thread per segment, and needs one spare (EventProcessorsConfiguration).
            throw new ConflictException("segment-limit", "No thread for another segment",
                    name + " is a tracking processor with " + tracking.maxCapacity() + " threads, so it runs at most "
                            + (tracking.maxCapacity() - 1) + " segments; it has " + segments.size());
        }
        Segment before = Segment.computeSegment(segment, toArray(segments));
        await(processor.splitSegment(segment), name, segment, "split");
        List<Integer> now = awaitStored(name, stored -> Segment.computeSegment(segment, toArray(stored)).getMask()
                != before.getMask());
        if (now == null) {
            throw new ConflictException("segment-not-split", "The segment was not split",
                    name + ": segment " + segment + " still covers 1/" + (before.getMask() + 1) + " of the sequences");
        }
        LOG.info("Processor {}: segment {} (1/{} of the sequences) split in two by the operator; segments now {}",
                name, segment, before.getMask() + 1, now);
    }

    /**
     * Merges {@code segment} of processor {@code name} with its sibling.
     *
     * @throws NotFoundException       no such processor, or it has no such segment
     * @throws ConflictException       the processor is paused or has a single segment, or a segment is held by
     *                                 another instance
     * @throws CommandTimeoutException Axon did not report the outcome within 30 s
     */
    void merge(String name, int segment) {
        List<Integer> segments = segments(name);
        StreamingEventProcessor processor = runningProcessor(name, segment, segments, "merge");
        Segment merged = Segment.computeSegment(segment, toArray(segments));
        int sibling = merged.mergeableSegmentId();
        if (sibling == segment) {
            throw new ConflictException("single-segment", "Nothing to merge with",
                    name + " has a single segment covering every sequence");
        }
        await(processor.mergeSegment(segment), name, segment, "merge");
        int kept = Math.min(segment, sibling);
        int gone = Math.max(segment, sibling);
        if (awaitStored(name, stored -> !stored.contains(gone)) == null) {
            throw new ConflictException("segment-not-merged", "The segments were not merged",
                    name + ": segments " + kept + " and " + gone + " are both still in the token store");
        }
        LOG.info("Processor {}: segments {} and {} merged by the operator", name, kept, gone);
    }

    private StreamingEventProcessor runningProcessor(String name, int segment, List<Integer> segments, String what) {
        StreamingEventProcessor processor = inspector.streaming(name)
                .orElseThrow(() -> new NotFoundException("no event processor named " + name));
        if (!segments.contains(segment)) {
            throw new NotFoundException(name + " has no segment " + segment + "; its segments are " + segments);
        }
        if (!processor.isRunning()) {
            throw new ConflictException("processor-paused", "The processor is paused",
                    name + " is paused: resume it before a " + what + " (the running processor carries it out)");
        }
        return processor;
    }

    private void await(CompletableFuture<Boolean> outcome, String name, int segment, String what) {
        boolean done;
        try {
            done = outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CommandTimeoutException("the " + what + " of " + name + " segment " + segment
                    + " did not finish within " + WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandTimeoutException("interrupted while waiting for the " + what, e);
        } catch (ExecutionException e) {
            LOG.warn("Processor {}: the {} of segment {} failed", name, what, segment, e.getCause());
            throw refused(name, segment, what);
        }
        if (!done) {
            throw refused(name, segment, what);
        }
    }

    /** Why Axon said no: in practice a segment (this one or its sibling) that another instance holds. */
    private ConflictException refused(String name, int segment, String what) {
        List<String> owners = jdbc.queryForList("SELECT segment || ': ' || coalesce(owner, 'unclaimed') "
                + "FROM token_entry WHERE processor_name = ? ORDER BY segment", String.class, name);
        return new ConflictException("segment-held-elsewhere", "The segment could not be claimed",
                name + ": the " + what + " of segment " + segment + " needs its claim (and for a merge, its sibling's), "
                        + "which another instance may hold; claims now " + owners + ". Ask again, or through the "
                        + "instance that holds it");
    }

    /**
     * The stored segments once they show the change, or null if they do not within 10 s. A tracking processor
     * reports the outcome from inside the transaction that stores it, so the change can be a moment behind.
     */
    private List<Integer> awaitStored(String name, java.util.function.Predicate<List<Integer>> changed) {
        long deadline = System.nanoTime() + STORED_WAIT.toNanos();
        while (true) {
            List<Integer> stored = segments(name);
            if (changed.test(stored)) {
                return stored;
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private List<Integer> segments(String name) {
        return jdbc.queryForList("SELECT segment FROM token_entry WHERE processor_name = ? ORDER BY segment",
                Integer.class, name);
    }

    private static int[] toArray(List<Integer> segments) {
        return segments.stream().mapToInt(Integer::intValue).toArray();
    }
}
