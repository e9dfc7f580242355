package io.orderflow.console.processors;

import io.orderflow.gateway.web.ConflictException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessorControlTest {

    private static final GapAwareTrackingToken WITH_GAPS = GapAwareTrackingToken.newInstance(1726,
            LongStream.rangeClosed(414, 429).boxed().collect(java.util.stream.Collectors.toCollection(TreeSet::new)));

    @Test
    void movingBack_keepsTheGapsBelowTheTarget_asEventsStillToHandle() {
        TrackingToken target = GapAwareTrackingToken.newInstance(1715, new TreeSet<>());

        GapAwareTrackingToken moved = (GapAwareTrackingToken) ProcessorControl.movedBack("p", 0, WITH_GAPS, target);

        assertThat(moved.getIndex()).isEqualTo(1715);
        assertThat(moved.getGaps()).containsExactlyElementsOf(WITH_GAPS.getGaps());
    }

    @Test
    void theStart_isAlwaysBack() {
        assertThat(ProcessorControl.movedBack("p", 0, WITH_GAPS, null)).isNull();
        assertThat(ProcessorControl.movedBack("p", 0, null, null)).isNull();
    }

    @Test
    void aTargetAheadOfTheSegment_orASegmentAtTheStart_isRefused() {
        TrackingToken ahead = GapAwareTrackingToken.newInstance(2000, new TreeSet<>());
        TrackingToken early = GapAwareTrackingToken.newInstance(10, new TreeSet<>());

        assertThatThrownBy(() -> ProcessorControl.movedBack("p", 3, WITH_GAPS, ahead))
                .isInstanceOf(ConflictException.class).hasMessageContaining("segment 3");
        assertThatThrownBy(() -> ProcessorControl.movedBack("p", 0, null, early))
                .isInstanceOf(ConflictException.class).hasMessageContaining("the start");
    }
}
