package io.orderflow.wiring.instance;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one instance should do so that a processor's segments spread evenly over the live instances (ADR 0036). With
 * {@code n} segments and {@code i} instances, each should hold {@code n / i} segments, some one more.
 *
 * <ul>
 *   <li>Holding more than one over the even share, the instance gives up the surplus.</li>
 *   <li>Holding one over while another instance holds fewer than the even share, it gives up one, so that the other
 *       can take it.</li>
 *   <li>Holding one over or more, it claims no further segment: the others, below their share, take the free
 *       ones.</li>
 * </ul>
 * The instance below its share does nothing: Axon claims free segments for it. Segments held by an instance that is
 * no longer live count as free, as Axon takes them over once their claim times out.
 *
 * @param release the segments to give up now (the highest-numbered, so the lowest stay where they are)
 * @param claimNoMore whether to keep from claiming any segment not held now
 */
public record SegmentShare(List<Integer> release, boolean claimNoMore) {

    /**
     * @param me       this instance's owner name
     * @param segments every segment of the processor
     * @param owners   the live holder of each held segment (segments of a holder no longer live left out)
     * @param live     the owner names of the live instances that run the processor, this one included
     */
    public static SegmentShare of(String me, Set<Integer> segments, Map<Integer, String> owners, Set<String> live) {
        int instances = Math.max(1, live.size());
        int even = segments.size() / instances;
        List<Integer> mine = owners.entrySet().stream().filter(owner -> owner.getValue().equals(me))
                .map(Map.Entry::getKey).sorted().toList();
        int held = mine.size();
        boolean someoneShort = live.stream().filter(other -> !other.equals(me))
                .anyMatch(other -> owners.values().stream().filter(other::equals).count() < even);
        int toRelease = held > even + 1 ? held - (even + 1) : held == even + 1 && someoneShort ? 1 : 0;
        List<Integer> release = mine.subList(held - toRelease, held);
        return new SegmentShare(List.copyOf(release), held >= even + 1);
    }
}
