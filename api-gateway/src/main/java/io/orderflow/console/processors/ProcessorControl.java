package io.orderflow.console.processors;

import io.orderflow.wiring.instance.InstanceId;
import org.axonframework.common.transaction.TransactionManager;
import io.orderflow.gateway.web.ConflictException;
import io.orderflow.wiring.settings.ProcessorsProperties;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Pause, resume and replay of an event processor on every instance at once (ADR 0035).
 *
 * <p>Axon without Axon Server starts and stops a processor only in the instance asked. The operator's wish is
 * therefore kept in the database ({@code processor_control}): the instance asked records it and acts at once, and
 * every instance compares its processors with the table every {@code orderflow.processors.control-check} (1 s) and
 * pauses or starts them to match. An instance started later does the same right after it starts, so a paused
 * processor stays paused there too. A processor without a row is left to run as Axon started it.
 *
 * <p>A pause has taken effect everywhere when every instance has had time to read it (one and a half checks) and no
 * instance holds a segment of the processor any more: the token store shows the claims released (or, for an instance
 * that died holding one, older than the claim timeout).
 */
@Component
class ProcessorControl {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorControl.class);

    private final JdbcTemplate jdbc;
    private final ProcessorInspector inspector;
    private final InstanceId instance;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final Duration claimTimeout;
    private final Duration releaseWait;
    private final Duration controlCheck;
    private final Clock clock = Clock.systemUTC();

    ProcessorControl(JdbcTemplate jdbc, ProcessorInspector inspector, InstanceId instance, TokenStore tokenStore,
                     TransactionManager transactions,
                     ProcessorsProperties settings) {
        Duration claimTimeout = settings.claimTimeout();
        Duration releaseWait = settings.releaseWait();
        this.controlCheck = settings.controlCheck();
        this.jdbc = jdbc;
        this.inspector = inspector;
        this.instance = instance;
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        this.claimTimeout = claimTimeout;
        this.releaseWait = releaseWait;
    }

    /**
     * Pauses the processor on every instance: records the wish, stops it here, and waits (up to
     * {@code orderflow.processors.release-wait}) until no instance holds one of its segments.
     * Instances that still hold segments after the wait are named in a warning; they pause at their next check.
     */
    void pause(String name, StreamingEventProcessor processor) throws InterruptedException {
        record(name, true);
        processor.shutDown();
        LOG.info("Processor {} paused by the operator on every instance (asked through {})", name, instance.name());
        if (!awaitReleased(name)) {
            LOG.warn("Processor {} paused, but segments {} were still held by other instances after {} s; they pause "
                    + "at their next check", name, heldSegments(name), releaseWait.toSeconds());
        }
    }

    /** Resumes the processor on every instance: records the wish and starts it here; the others follow. */
    void resume(String name, StreamingEventProcessor processor) {
        record(name, false);
        processor.start();
        LOG.info("Processor {} resumed by the operator on every instance (asked through {})", name, instance.name());
    }

    /** Whether the operator has paused the processor (on every instance). */
    boolean pausedByOperator(String name) {
        return jdbc.queryForList("SELECT paused FROM processor_control WHERE processor_name = ?", Boolean.class, name)
                .stream().findFirst().orElse(false);
    }

    /**
     * Replays the processor once for every instance: pauses it everywhere, waits until every segment is released,
     * resets its tokens here (its reset handler starts the projection's new generation, once) and, unless the
     * operator had paused it, resumes it everywhere. Each instance then claims segments of the reset tokens and
     * replays them; reads switch to the new generation on every instance together, since the served generation is
     * kept in the database.
     */
    void replay(String name, StreamingEventProcessor processor) throws Exception {
        boolean wasPaused = pausedByOperator(name) || !processor.isRunning();
        LOG.info("Replay of {}: pausing it on every instance", name);
        record(name, true);
        processor.shutdownAsync().get(60, TimeUnit.SECONDS);
        if (!awaitNoWork(processor) || !awaitReleased(name)) {
            LOG.error("Replay of {} not started: segments {} were still held or processed after {} s, and a reset now "
                    + "could be overwritten by their last batch; the processor is set back as it was, ask for the "
                    + "replay again", name, heldSegments(name), releaseWait.toSeconds());
            restore(name, processor, wasPaused);
            return;
        }
        try {
            processor.resetTokens();
        } catch (RuntimeException e) {
            restore(name, processor, wasPaused);
            throw e;
        }
        if (wasPaused) {
            // The reset claimed every segment here; released, any instance can take them up when it is resumed.
            transactions.executeInTransaction(() -> {
                for (int segment : tokenStore.fetchSegments(name)) {
                    tokenStore.releaseClaim(name, segment);
                }
            });
            LOG.info("Processor {} reset while paused; the replay begins when it is resumed", name);
            return;
        }
        record(name, false);
        processor.start();
        LOG.info("Replay of {} started on every instance; its progress shows in GET /api/admin/processors", name);
    }

    /**
     * Moves the processor back to {@code target} on every instance, without a reset: its handlers get every event from
     * there again, as redeliveries (the projections are not cleared; the consumers with effects recognise what they
     * have done). Pauses it everywhere, stores the target as every segment's token, and resumes it unless the
     * operator had paused it. A target ahead of a segment's position is refused: that would skip events.
     *
     * @param target the token to go back to; null for the start of the source
     * @throws ConflictException type {@code rewind-forward} if a segment has not reached the target yet, or
     *                           {@code segment-held-elsewhere} if an instance kept a segment past the wait
     */
    void rewind(String name, StreamingEventProcessor processor, TrackingToken target) throws Exception {
        boolean wasPaused = pausedByOperator(name) || !processor.isRunning();
        LOG.info("Rewind of {} to {}: pausing it on every instance", name, target == null ? "the start" : target);
        record(name, true);
        processor.shutdownAsync().get(60, TimeUnit.SECONDS);
        try {
            if (!awaitNoWork(processor) || !awaitReleased(name)) {
                throw new ConflictException("segment-held-elsewhere", "The processor could not be paused everywhere",
                        name + ": segments " + heldSegments(name) + " were still held after "
                                + releaseWait.toSeconds() + " s; nothing was changed");
            }
            transactions.executeInTransaction(() -> {
                for (int segment : tokenStore.fetchSegments(name)) {
                    TrackingToken current = claim(name, segment);
                    tokenStore.storeToken(movedBack(name, segment, current, target), name, segment);
                    tokenStore.releaseClaim(name, segment);
                }
            });
        } finally {
            restore(name, processor, wasPaused);
        }
        LOG.info("Processor {} moved back to {} on every instance{}", name, target == null ? "the start" : target,
                wasPaused ? "; it stays paused until it is resumed" : " and resumed");
    }

    /**
     * The token a segment moves back to: the target, keeping as not handled yet every event below it that the
     * segment's token still waits for (the store's gaps: events of transactions not committed when it passed them).
     * Null (the start) always goes back.
     *
     * @throws ConflictException {@code rewind-forward} if the segment is before the target
     */
    static TrackingToken movedBack(String name, int segment, TrackingToken current, TrackingToken target) {
        if (target == null) {
            return null;
        }
        OptionalLong at = current == null ? OptionalLong.empty() : current.position();
        OptionalLong wanted = target.position();
        if (at.isEmpty() || wanted.isEmpty() || wanted.getAsLong() > at.getAsLong()) {
            throw new ConflictException("rewind-forward", "The position is ahead of the processor",
                    name + ": segment " + segment + " is at " + (current == null ? "the start" : current)
                            + ", before " + target + "; moving it forward would skip events, so nothing was changed");
        }
        return current.lowerBound(target);
    }

    /** A segment's token, claimed here; refused as a conflict if an instance took the segment meanwhile. */
    private TrackingToken claim(String name, int segment) {
        try {
            return tokenStore.fetchToken(name, segment);
        } catch (UnableToClaimTokenException e) {
            throw new ConflictException("segment-held-elsewhere", "Another instance holds a segment",
                    name + ": segment " + segment + " was claimed by another instance meanwhile; nothing was changed, "
                            + "ask again");
        }
    }

    private void restore(String name, StreamingEventProcessor processor, boolean wasPaused) {
        record(name, wasPaused);
        if (!wasPaused) {
            processor.start();
        }
    }

    /**
     * Brings this instance's processors in line with the operator's wishes: every second, and right after the
     * instance starts.
     */
    // Every ProcessorsProperties#controlCheck (its placeholder, with the same default).
    @Scheduled(fixedDelayString = "${orderflow.processors.control-check:1s}", initialDelay = 0)
    void follow() {
        List<Wish> wishes;
        try {
            wishes = jdbc.query("SELECT processor_name, paused, changed_by FROM processor_control",
                    (row, i) -> new Wish(row.getString(1), row.getBoolean(2), row.getString(3)));
        } catch (RuntimeException e) {
            LOG.warn("Could not read the operator's processor settings; trying again: {}", e.getMessage());
            return;
        }
        for (Wish wish : wishes) {
            Optional<StreamingEventProcessor> found = inspector.streaming(wish.processor());
            if (found.isEmpty()) {
                continue;
            }
            StreamingEventProcessor processor = found.get();
            if (wish.paused() && processor.isRunning()) {
                processor.shutDown();
                LOG.info("Processor {} paused here: the operator paused it on every instance (through {})",
                        wish.processor(), wish.by());
            } else if (!wish.paused() && !processor.isRunning()) {
                processor.start();
                LOG.info("Processor {} started here: the operator resumed it on every instance (through {})",
                        wish.processor(), wish.by());
            }
        }
    }

    private void record(String name, boolean paused) {
        jdbc.update("INSERT INTO processor_control (processor_name, paused, changed_by, changed_at) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT (processor_name) DO UPDATE SET paused = excluded.paused, "
                        + "changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                name, paused, instance.name(), Timestamp.from(clock.instant()));
    }

    /**
     * Waits until no live instance holds a segment of the processor: first for one and a half checks, so that every
     * instance has read the wish (one that has not could still claim a segment released here), then for the claims.
     */
    private boolean awaitReleased(String name) throws InterruptedException {
        long deadline = System.nanoTime() + releaseWait.toNanos();
        Thread.sleep(controlCheck.toMillis() * 3 / 2);
        while (!heldSegments(name).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /**
     * The segments an instance holds: claimed, and renewed within the claim timeout. A claim older than that is an
     * instance's that died; any instance may take it, as Axon does.
     */
    List<String> heldSegments(String name) {
        Instant stale = clock.instant().minus(claimTimeout);
        return jdbc.query("SELECT segment, owner, timestamp FROM token_entry WHERE processor_name = ? "
                        + "AND owner IS NOT NULL ORDER BY segment", (row, i) -> {
                    Instant renewed = renewedAt(row.getString(3));
                    return renewed != null && renewed.isBefore(stale) ? null
                            : row.getInt(1) + " by " + row.getString(2);
                }, name).stream().filter(java.util.Objects::nonNull).toList();
    }

    private static Instant renewedAt(String timestamp) {
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    /**
     * Waits, up to 30 s, until the stopped processor reports no segment in process here: its work of before the stop
     * has ended, so nothing of it can store a token after the reset.
     */
    private static boolean awaitNoWork(StreamingEventProcessor processor) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!processor.processingStatus().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private record Wish(String processor, boolean paused, String by) {
    }
}
