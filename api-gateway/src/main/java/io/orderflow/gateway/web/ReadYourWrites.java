package io.orderflow.gateway.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Reads a projection with {@code ?minVersion=N}: polls it, bounded, until it has applied version N, so that a
 * client can read its own write; past the bound it answers with what it has and says so in
 * {@code X-Orderflow-Stale} (ADR 0006).
 */
@Component
public class ReadYourWrites {

    public static final String STALE_HEADER = "X-Orderflow-Stale";
    private static final long POLL_MILLIS = 20;

    private final Duration maxWait;

    ReadYourWrites(@Value("${orderflow.api.read-your-writes-wait:5s}") Duration maxWait) {
        this.maxWait = maxWait;
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

    public <V> Read<V> read(Supplier<Optional<V>> query, ToLongFunction<V> version, Long minVersion) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Optional<V> view = query.get();
            boolean reached = minVersion == null || view.map(v -> version.applyAsLong(v) >= minVersion).orElse(false);
            if (reached) {
                return new Read<>(view, false);
            }
            if (System.nanoTime() >= deadline) {
                return new Read<>(view, true);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandTimeoutException("interrupted while waiting for the projection", e);
            }
        }
    }
}
