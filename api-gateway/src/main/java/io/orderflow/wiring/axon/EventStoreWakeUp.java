package io.orderflow.wiring.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.lifecycle.Lifecycle;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * The event store as the source of the pooled streaming processors, waking them as soon as new events are
 * available.
 *
 * <p>A pooled streaming processor that has caught up waits for its stream's "events available" callback; a stream
 * without one (the JPA store's) makes it poll every 500 ms instead, which put half a second between a commit and
 * its Kafka record or projection row. One watcher thread here tails the store (its wait ends the moment the store
 * has fetched new events) and calls the callbacks of every open stream. The events themselves still come from the
 * store's own streams; only the wake-up is added (ADR 0002).
 */
public final class EventStoreWakeUp implements StreamableMessageSource<TrackedEventMessage<?>>, Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStoreWakeUp.class);
    private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final EventStore eventStore;
    private final Set<Runnable> callbacks = new CopyOnWriteArraySet<>();
    private final Thread watcher;
    private volatile boolean running = true;

    public EventStoreWakeUp(EventStore eventStore) {
        this.eventStore = eventStore;
        this.watcher = new Thread(this::watch, "event-store-wake-up");
        this.watcher.setDaemon(true);
    }

    @Override
    public void registerLifecycleHandlers(LifecycleRegistry lifecycle) {
        // Before the processors start, so that their first wait already ends on the first new event.
        lifecycle.onStart(Phase.INBOUND_EVENT_CONNECTORS - 1, this::start);
        lifecycle.onShutdown(Phase.INBOUND_EVENT_CONNECTORS - 1, this::close);
    }

    void start() {
        if (!watcher.isAlive()) {
            watcher.start();
        }
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new WakingStream(eventStore.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return eventStore.createTokenAt(dateTime);
    }

    void close() {
        running = false;
        watcher.interrupt();
    }

    private void watch() {
        while (running) {
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(eventStore.createHeadToken())) {
                while (running) {
                    if (stream.hasNextAvailable((int) WATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        while (stream.hasNextAvailable()) {
                            stream.nextAvailable();
                        }
                        callbacks.forEach(Runnable::run);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // The processors still poll on their own meanwhile; nothing is lost, only latency.
                log.warn("Watching the event store for new events failed; retrying in {}", RETRY_AFTER_FAILURE, e);
                try {
                    Thread.sleep(RETRY_AFTER_FAILURE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The store's stream, unchanged, but able to tell its processor when events arrive. */
    private final class WakingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable callback;

        private WakingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable() {
            return delegate.hasNextAvailable();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            Runnable previous = this.callback;
            if (previous != null) {
                callbacks.remove(previous);
            }
            this.callback = callback;
            callbacks.add(callback);
            return true;
        }

        @Override
        public void close() {
            Runnable registered = callback;
            if (registered != null) {
                callbacks.remove(registered);
            }
            delegate.close();
        }
    }
}
