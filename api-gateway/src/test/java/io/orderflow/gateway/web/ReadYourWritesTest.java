package io.orderflow.gateway.web;

import io.orderflow.projections.api.ProjectionChanges;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadYourWritesTest {

    private final AtomicLong version = new AtomicLong(0);
    private final AtomicInteger reads = new AtomicInteger();

    private Optional<Long> query() {
        reads.incrementAndGet();
        return Optional.of(version.get());
    }

    @Test
    void aVersionAlreadyThere_isAnsweredAtOnce() {
        ReadYourWrites readers = new ReadYourWrites(Duration.ofSeconds(5), 10);

        CompletableFuture<ReadYourWrites.Read<Long>> read = readers.read("p", "a", this::query, v -> v, 0L);

        assertThat(read).isCompletedWithValue(new ReadYourWrites.Read<>(Optional.of(0L), false));
        assertThat(reads).hasValue(1);
    }

    @Test
    void aWaitingRead_isAnsweredWhenItsRowIsNotified_andReadsNoMoreThanOncePerNotice() throws Exception {
        ReadYourWrites readers = new ReadYourWrites(Duration.ofSeconds(30), 10);
        CompletableFuture<ReadYourWrites.Read<Long>> read = readers.read("p", "a", this::query, v -> v, 2L);
        Thread.sleep(300);
        int readsWhileWaiting = reads.get();

        readers.changed(new ProjectionChanges.Notice("p", List.of("b")));
        version.set(1);
        readers.changed(new ProjectionChanges.Notice("p", List.of("a")));
        Thread.sleep(100);
        assertThat(read).isNotDone();
        version.set(2);
        readers.changed(new ProjectionChanges.Notice("p", List.of("a")));

        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(new ReadYourWrites.Read<>(Optional.of(2L), false));
        assertThat(readsWhileWaiting).as("reads before any notice: the first and one after registering")
                .isLessThanOrEqualTo(2);
        assertThat(reads.get()).as("one read per notice of its row").isLessThanOrEqualTo(readsWhileWaiting + 2);
        assertThat(readers.waitingNow()).isZero();
    }

    @Test
    void aVersionNeverReached_isAnsweredStaleAtTheDeadline() throws Exception {
        ReadYourWrites readers = new ReadYourWrites(Duration.ofMillis(300), 10);
        long started = System.nanoTime();

        ReadYourWrites.Read<Long> read = readers.read("p", "a", this::query, v -> v, 5L).get(5, TimeUnit.SECONDS);

        assertThat(read).isEqualTo(new ReadYourWrites.Read<>(Optional.of(0L), true));
        assertThat(read.headers().getFirst(ReadYourWrites.STALE_HEADER)).isEqualTo("true");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(readers.waitingNow()).isZero();
    }

    @Test
    void moreWaitingReadsThanAllowed_areRefused() {
        ReadYourWrites readers = new ReadYourWrites(Duration.ofSeconds(30), 2);
        readers.read("p", "a", this::query, v -> v, 5L);
        readers.read("p", "b", this::query, v -> v, 5L);

        assertThatThrownBy(() -> readers.read("p", "c", this::query, v -> v, 5L))
                .isInstanceOf(ReadYourWrites.TooManyWaitingReadsException.class);
        assertThat(readers.read("p", "d", this::query, v -> v, 0L)).as("a read that need not wait").isDone();
    }
}
