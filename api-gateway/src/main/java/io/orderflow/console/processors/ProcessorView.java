package io.orderflow.console.processors;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * An event processor as the operations API shows it (docs/api.md, {@code GET /api/admin/processors}).
 *
 * @param source    {@code event-store}, or the Kafka topics it reads ({@code kafka:topic,topic})
 * @param status    {@code RUNNING}, {@code PAUSED} or {@code ERROR}
 * @param progress  the replay's progress in percent while it replays, else null
 * @param lag       events (store) or records (Kafka) between the slowest segment and the head; null if unknown
 * @param replayable whether {@code POST .../replay} may rebuild it, and if not, why
 * @param mode       {@code pooled-streaming} or {@code tracking}
 * @param lagSeconds how old the oldest event not yet handled is (store); for Kafka, lag divided by throughput
 * @param throughput events (or records) handled per second, over the last few seconds
 * @param deadLetters parked sequences in its dead-letter queue; null if it has none
 * @param rebuiltAt  when the projection last switched to a rebuilt generation; null if never
 */
record ProcessorView(String name, String source, String status, boolean replaying,
                     @Schema(nullable = true) Double progress,
                     @Schema(nullable = true) Long lag,
                     @Schema(nullable = true, description = "why the processor stopped; null while it works")
                     String error,
                     boolean replayable,
                     @Schema(nullable = true) String notReplayableBecause,
                     List<Segment> segments,
                     String mode,
                     @Schema(nullable = true) Double lagSeconds,
                     @Schema(nullable = true) Double throughput,
                     @Schema(nullable = true) Long deadLetters,
                     @Schema(nullable = true) java.time.Instant rebuiltAt) {

    /** A segment of the processor: who holds its claim, where it is, and where the head of its source is. */
    record Segment(int segment,
                   @Schema(nullable = true, description = "the instance holding the claim; null if unclaimed")
                   String owner,
                   @Schema(nullable = true) Long position,
                   @Schema(nullable = true) Long head,
                   @Schema(nullable = true) Long lag,
                   boolean replaying,
                   @Schema(description = "the part of the sequences (orders, customers) this segment handles: "
                           + "1 for a single segment, 0.5 for each half of a split one")
                   double share) {
    }
}
