package io.orderflow.gateway.web;

import io.orderflow.projections.api.ProjectionChanges;
import io.orderflow.wiring.settings.ApiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Reads a projection with {@code ?minVersion=N}, so that a client can read its own write (ADR 0006): if the
 * projection has not applied version N yet, the read waits, bounded, for it; past the bound it answers with what it
 * has and says so in {@code X-Orderflow-Stale}.
 *
 * <p>The wait does not poll. The projections notify the rows they change when their transaction commits
 * ({@link ProjectionChanges}); {@link ProjectionChangeListener} hears them on one connection and wakes the readers
 * of those rows, each of which reads once more. Nor does a wait hold a request thread: the answer is a future that
 * Spring MVC completes asynchronously. At most {@code orderflow.api.read-your-writes-max-waiting} reads wait at once;
 * one more is answered 503 with Retry-After.
 */
@Component
public class ReadYourWrites {

    public static final String STALE_HEADER = "X-Orderflow-Stale";
    private static final Logger LOG = LoggerFactory.getLogger(ReadYourWrites.class);

    private final Duration maxWait;
    private final int maxWaiting;
    private final AtomicInteger waitingNow = new AtomicInteger();
    /** Waiting reads by projection and row id. */
    private final ConcurrentHashMap<String, Set<Runnable>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "read-your-writes-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    /** Reads again for woken waiters: a few threads, so waiting reads use a few database connections at most. */
    private final ThreadPoolExecutor rereads = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), runnable -> {
                Thread thread = new Thread(runnable, "read-your-writes");
                thread.setDaemon(true);
                return thread;
            });

    @Autowired
    ReadYourWrites(ApiProperties settings) {
        this(settings.readYourWritesWait(), settings.readYourWritesMaxWaiting());
    }

    ReadYourWrites(Duration maxWait, int maxWaiting) {
        this.maxWait = maxWait;
        this.maxWaiting = maxWaiting;
    }

    /** What a read found, and whether it is older than the version asked for. */
    public record Read<V>(Optional<V> view, boolean stale) {

        public HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            if (stale) {
                headers.add(STALE_HEADER, "true");
            }
            return headers;
        }
    }

    /**
     * Reads the row {@code id} of {@code projection} with {@code query}, at once if no {@code minVersion} is asked
     * or the projection has it, else once it has (or with what it has once the wait is over).
     *
     * @throws TooManyWaitingReadsException if as many reads wait already as may
     */
    public <V> CompletableFuture<Read<V>> read(String projection, Object id, Supplier<Optional<V>> query,
                                               ToLongFunction<V> version, Long minVersion) {
        Optional<V> now = query.get();
        if (reached(now, version, minVersion)) {
            return CompletableFuture.completedFuture(new Read<>(now, false));
        }
        if (waitingNow.incrementAndGet() > maxWaiting) {
            waitingNow.decrementAndGet();
            throw new TooManyWaitingReadsException(maxWaiting);
        }
        CompletableFuture<Read<V>> answer = new CompletableFuture<>();
        String key = projection + "|" + id;
        Runnable reread = () -> {
            if (answer.isDone()) {
                return;
            }
            try {
                Optional<V> view = query.get();
                if (reached(view, version, minVersion)) {
                    answer.complete(new Read<>(view, false));
                }
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        };
        waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(reread);
        Runnable last = () -> {
            if (!answer.isDone()) {
                try {
                    Optional<V> view = query.get();
                    answer.complete(new Read<>(view, !reached(view, version, minVersion)));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            }
        };
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            try {
                rereads.execute(last);
            } catch (RejectedExecutionException full) {
                last.run();
            }
        }, maxWait.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((read, failure) -> {
            deadline.cancel(false);
            waitingNow.decrementAndGet();
            waiting.computeIfPresent(key, (k, readers) -> {
                readers.remove(reread);
                return readers.isEmpty() ? null : readers;
            });
        });
        // A change committed between the first read and the registration has been notified already.
        wake(reread);
        return answer;
    }

    /** Wakes the readers waiting for these rows of the projection: each reads once more. */
    void changed(ProjectionChanges.Notice notice) {
        for (String id : notice.ids()) {
            Set<Runnable> readers = waiting.get(notice.projection() + "|" + id);
            if (readers != null) {
                readers.forEach(this::wake);
            }
        }
    }

    /** How many reads wait now. */
    int waitingNow() {
        return waitingNow.get();
    }

    private void wake(Runnable reread) {
        try {
            rereads.execute(reread);
        } catch (RejectedExecutionException full) {
            // Ten thousand rereads queued: this one is answered at its deadline instead.
            LOG.debug("Read-your-writes reread dropped: the queue is full");
        }
    }

    private static <V> boolean reached(Optional<V> view, ToLongFunction<V> version, Long minVersion) {
        return minVersion == null || view.map(v -> version.applyAsLong(v) >= minVersion).orElse(false);
    }

    /** Answered 503 with Retry-After: the server is full of waiting reads, not the client at fault. */
    public static final class TooManyWaitingReadsException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TooManyWaitingReadsException(int maxWaiting) {
            super(maxWaiting + " reads are waiting for versions already; retry in a second");
        }
    }
}
