package io.orderflow.console.processors;

import io.orderflow.gateway.web.CommandTimeoutException;
import io.orderflow.gateway.web.ConflictException;
import io.orderflow.gateway.web.NotFoundException;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The checks around Axon's split and merge, and how each outcome is answered. */
class ProcessorSegmentsTest {

    private final ProcessorInspector inspector = mock(ProcessorInspector.class);
    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final ProcessorSegments segments = new ProcessorSegments(inspector, jdbc);

    @Test
    void aSplitThatAxonCarriesOutIsAnswered() {
        PooledStreamingEventProcessor processor = pooled("p", true);
        storedSegments("p", List.of(0, 1), List.of(0, 1, 2));
        when(processor.splitSegment(0)).thenReturn(CompletableFuture.completedFuture(true));

        segments.split("p", 0);

        verify(processor).splitSegment(0);
    }

    @Test
    void aSplitAxonRefusesNamesTheClaims() {
        PooledStreamingEventProcessor processor = pooled("p", true);
        storedSegments("p", List.of(0));
        when(processor.splitSegment(0)).thenReturn(CompletableFuture.completedFuture(false));
        when(jdbc.queryForList(anyString(), eq(String.class), eq("p"))).thenReturn(List.of("0: other@host"));

        assertThatThrownBy(() -> segments.split("p", 0)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("0: other@host")
                .extracting(e -> ((ConflictException) e).type()).isEqualTo("segment-held-elsewhere");
    }

    @Test
    void aSplitThatFailsInAxonIsAConflictToo() {
        PooledStreamingEventProcessor processor = pooled("p", true);
        storedSegments("p", List.of(0));
        when(processor.splitSegment(0)).thenReturn(CompletableFuture.failedFuture(new IllegalStateException("x")));
        when(jdbc.queryForList(anyString(), eq(String.class), eq("p"))).thenReturn(List.of("0: unclaimed"));

        assertThatThrownBy(() -> segments.split("p", 0)).isInstanceOf(ConflictException.class);
    }

    @Test
    void aPausedProcessorIsNotAsked() {
        PooledStreamingEventProcessor processor = pooled("p", false);
        storedSegments("p", List.of(0));

        assertThatThrownBy(() -> segments.split("p", 0)).isInstanceOf(ConflictException.class)
                .extracting(e -> ((ConflictException) e).type()).isEqualTo("processor-paused");
        verify(processor, never()).splitSegment(any(Integer.class));
    }

    @Test
    void anUnknownProcessorOrSegmentIsNotFound() {
        when(inspector.streaming("nope")).thenReturn(Optional.empty());
        assertThatThrownBy(() -> segments.split("nope", 0)).isInstanceOf(NotFoundException.class);

        pooled("p", true);
        storedSegments("p", List.of(0, 1));
        assertThatThrownBy(() -> segments.merge("p", 7)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("[0, 1]");
    }

    @Test
    void aTrackingProcessorKeepsASpareThread() {
        TrackingEventProcessor processor = mock(TrackingEventProcessor.class);
        when(processor.isRunning()).thenReturn(true);
        when(processor.maxCapacity()).thenReturn(3);
        when(inspector.streaming("t")).thenReturn(Optional.of(processor));
        storedSegments("t", List.of(0, 1));

        assertThatThrownBy(() -> segments.split("t", 0)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("at most 2 segments")
                .extracting(e -> ((ConflictException) e).type()).isEqualTo("segment-limit");
        verify(processor, never()).splitSegment(any(Integer.class));
    }

    @Test
    void aLoneSegmentHasNothingToMergeWith() {
        PooledStreamingEventProcessor processor = pooled("p", true);
        storedSegments("p", List.of(0));

        assertThatThrownBy(() -> segments.merge("p", 0)).isInstanceOf(ConflictException.class)
                .extracting(e -> ((ConflictException) e).type()).isEqualTo("single-segment");
        verify(processor, never()).mergeSegment(any(Integer.class));
    }

    @Test
    void aMergeOfSiblingsIsCarriedOut() {
        PooledStreamingEventProcessor processor = pooled("p", true);
        storedSegments("p", List.of(0, 1), List.of(0));
        when(processor.mergeSegment(1)).thenReturn(CompletableFuture.completedFuture(true));

        segments.merge("p", 1);

        verify(processor).mergeSegment(1);
    }

    @Test
    void anOutcomeThatNeverComesIsAnUnknownOutcome() throws Exception {
        PooledStreamingEventProcessor processor = pooled("p", true);
        storedSegments("p", List.of(0, 1));
        when(processor.mergeSegment(0)).thenReturn(new CompletableFuture<>());
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> segments.merge("p", 0)).isInstanceOf(CommandTimeoutException.class);
        assertThat(Thread.interrupted()).isTrue();
    }

    private PooledStreamingEventProcessor pooled(String name, boolean running) {
        PooledStreamingEventProcessor processor = mock(PooledStreamingEventProcessor.class);
        when(processor.isRunning()).thenReturn(running);
        when(inspector.streaming(name)).thenReturn(Optional.of(processor));
        return processor;
    }

    @SafeVarargs
    private void storedSegments(String name, List<Integer> first, List<Integer>... then) {
        when(jdbc.queryForList(anyString(), eq(Integer.class), eq(name))).thenReturn(first, then);
    }
}
