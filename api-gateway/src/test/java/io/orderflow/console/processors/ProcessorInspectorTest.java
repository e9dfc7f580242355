package io.orderflow.console.processors;

import io.orderflow.projections.api.ProjectionRebuilds;
import io.orderflow.wiring.processors.ProcessorCatalog;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * When a projection's rebuild counts as caught up. The case that went wrong: right after the restart that begins
 * a replay, the pooled processor may still report its segments' statuses from before the restart, at the old head;
 * a rebuild judged by them switched reads to a generation holding 200 of 44,887 orders (the replay benchmark, on a
 * store of 218,000 events). The committed tokens say where the replay really is.
 */
class ProcessorInspectorTest {

    private static final String PROJECTION = "order-summary";
    private static final long HEAD = 218_032;

    private final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    private final StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
    private final EventStore eventStore = mock(EventStore.class);
    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final ProjectionRebuilds rebuilds = mock(ProjectionRebuilds.class);
    private final ProcessorCatalog catalog = mock(ProcessorCatalog.class);
    private ProcessorInspector inspector;

    @BeforeEach
    void setUp() {
        when(processing.eventProcessor(PROJECTION, StreamingEventProcessor.class)).thenReturn(Optional.of(processor));
        when(processor.isRunning()).thenReturn(true);
        when(eventStore.createHeadToken()).thenReturn(token(HEAD));
        when(rebuilds.projections()).thenReturn(List.of(PROJECTION));
        when(rebuilds.rebuildOf(PROJECTION)).thenReturn(Optional.of(
                new ProjectionRebuilds.Rebuild(PROJECTION, 0, 1, Instant.now())));
        when(catalog.kafkaTopicsOf(PROJECTION)).thenReturn(List.of());
        when(jdbc.queryForList(startsWith("SELECT segment FROM token_entry"), eq(Integer.class), eq(PROJECTION)))
                .thenReturn(List.of(0, 1));
        when(jdbc.queryForObject(startsWith("SELECT count(*) FROM token_entry"), eq(Integer.class), eq(PROJECTION)))
                .thenReturn(2);
        inspector = new ProcessorInspector(processing, eventStore, mock(KafkaHeads.class), jdbc, rebuilds,
                mock(TransactionManager.class), mock(Serializer.class), catalog);
    }

    @Test
    void statusesFromBeforeTheRestartAtTheOldHead_doNotMakeAReplayCaughtUp() {
        statuses(status(0, token(HEAD)), status(1, token(HEAD)));
        committed(0, replaying(999, HEAD - 100));
        committed(1, replaying(916, HEAD - 100));

        assertThat(inspector.replayCaughtUp(PROJECTION)).isFalse();
    }

    @Test
    void committedTokensPastTheHead_makeItCaughtUp() {
        statuses(status(0, token(HEAD)), status(1, token(HEAD)));
        committed(0, token(HEAD));
        committed(1, replaying(HEAD, HEAD - 100));

        assertThat(inspector.replayCaughtUp(PROJECTION)).isTrue();
    }

    @Test
    void aReplayTokenBehindWhereItWasReset_isNotCaughtUp_whateverTheHeadMeasured() {
        // A head measured too early (lower than the position at the reset) must not end the rebuild.
        when(eventStore.createHeadToken()).thenReturn(token(10));
        statuses(status(0, token(HEAD)), status(1, token(HEAD)));
        committed(0, replaying(500, HEAD));
        committed(1, replaying(500, HEAD));

        assertThat(inspector.replayCaughtUp(PROJECTION)).isFalse();
    }

    @Test
    void aSegmentWithoutACommittedToken_isNotCaughtUp() {
        statuses(status(0, token(HEAD)), status(1, token(HEAD)));
        committed(0, token(HEAD));

        assertThat(inspector.replayCaughtUp(PROJECTION)).isFalse();
    }

    private void statuses(EventTrackerStatus... statuses) {
        Map<Integer, EventTrackerStatus> bySegment = new HashMap<>();
        for (EventTrackerStatus status : statuses) {
            bySegment.put(status.getSegment().getSegmentId(), status);
        }
        when(processor.processingStatus()).thenReturn(bySegment);
    }

    @SuppressWarnings("unchecked")
    private void committed(int segment, TrackingToken token) {
        when(jdbc.query(startsWith("SELECT token, token_type FROM token_entry"), any(RowMapper.class),
                eq(PROJECTION), eq(segment))).thenReturn(List.of(token));
    }

    private static TrackingToken token(long index) {
        return GapAwareTrackingToken.newInstance(index, List.of());
    }

    private static TrackingToken replaying(long at, long atReset) {
        return ReplayToken.createReplayToken(token(atReset), token(at));
    }

    private static EventTrackerStatus status(int segment, TrackingToken token) {
        EventTrackerStatus status = mock(EventTrackerStatus.class);
        when(status.getSegment()).thenReturn(Segment.computeSegment(segment, 0, 1));
        when(status.getTrackingToken()).thenReturn(token);
        when(status.getCurrentPosition()).thenReturn(token.position());
        when(status.isErrorState()).thenReturn(false);
        return status;
    }
}
