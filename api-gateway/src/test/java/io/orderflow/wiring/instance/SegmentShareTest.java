package io.orderflow.wiring.instance;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentShareTest {

    private static final Set<Integer> FOUR = Set.of(0, 1, 2, 3);

    @Test
    void aLoneInstanceKeepsEverySegment_andClaimsFreely() {
        SegmentShare share = SegmentShare.of("a", FOUR, owners("a", "a", "a", "a"), Set.of("a"));

        assertThat(share.release()).isEmpty();
        assertThat(share.claimNoMore()).isFalse();
    }

    @Test
    void theFirstInstanceGivesUpAllButItsShare_whenTwoMoreJoin() {
        SegmentShare share = SegmentShare.of("a", FOUR, owners("a", "a", "a", "a"), Set.of("a", "b", "c"));

        assertThat(share.release()).as("4 segments over 3: one or two each").containsExactly(2, 3);
        assertThat(share.claimNoMore()).isTrue();
    }

    @Test
    void oneOverTheShare_givesOneUp_onlyWhileAnotherIsShort() {
        Set<String> three = Set.of("a", "b", "c");
        assertThat(SegmentShare.of("a", FOUR, owners("a", "a", "b", "b"), three).release())
                .as("c holds none").containsExactly(1);
        assertThat(SegmentShare.of("a", FOUR, owners("a", "a", "b", "c"), three).release())
                .as("everyone at their share").isEmpty();
        assertThat(SegmentShare.of("a", FOUR, owners("a", "a", "b", "c"), three).claimNoMore()).isTrue();
    }

    @Test
    void atTheShare_itMayClaimAFreeSegment() {
        Map<Integer, String> owners = owners("a", "a", "b", null);

        SegmentShare share = SegmentShare.of("b", FOUR, owners, Set.of("a", "b"));

        assertThat(share.release()).isEmpty();
        assertThat(share.claimNoMore()).isFalse();
        assertThat(SegmentShare.of("a", FOUR, owners, Set.of("a", "b")).claimNoMore()).isFalse();
    }

    @Test
    void fewerSegmentsThanInstances_eachHoldsAtMostOne() {
        Set<Integer> one = Set.of(0);
        SegmentShare holder = SegmentShare.of("a", one, Map.of(0, "a"), Set.of("a", "b", "c"));

        assertThat(holder.release()).isEmpty();
        assertThat(holder.claimNoMore()).isTrue();
        assertThat(SegmentShare.of("b", one, Map.of(0, "a"), Set.of("a", "b", "c")).claimNoMore()).isFalse();
    }

    /** The owner of segments 0, 1, 2, ... in order; null for a free one. */
    private static Map<Integer, String> owners(String... byPosition) {
        Map<Integer, String> owners = new HashMap<>();
        for (int segment = 0; segment < byPosition.length; segment++) {
            if (byPosition[segment] != null) {
                owners.put(segment, byPosition[segment]);
            }
        }
        return owners;
    }
}
