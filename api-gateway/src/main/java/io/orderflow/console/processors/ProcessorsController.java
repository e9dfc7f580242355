package io.orderflow.console.processors;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.wiring.audit.Audited;
import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.gateway.web.ConflictException;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.projections.api.ProjectionRebuilds;
import io.orderflow.gateway.web.InvalidRequestException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The event processors for the operator (docs/api.md): their state, pause and resume, replay on demand, and the
 * split and merge of their segments.
 *
 * <p>Pause, resume and replay act on every instance ({@link ProcessorControl}, ADR 0035). A replay pauses the
 * processor everywhere, resets its tokens once (its {@code @ResetHandler} starts a new generation of the projection,
 * ADR 0010) and resumes it everywhere. Stopping waits for the batches in progress, so the work runs in the background
 * and the call answers 202 at once; the listing shows the progress. A paused processor is reset and stays paused
 * until it is resumed.
 */
@RestController
@RequestMapping(path = "/api/admin/processors", produces = MediaType.APPLICATION_JSON_VALUE)
class ProcessorsController implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorsController.class);

    private final ProcessorInspector inspector;
    private final ProjectionRebuilds rebuilds;
    private final ExecutorService operations = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "processor-operations");
        thread.setDaemon(true);
        return thread;
    });

    private final ProcessorCatalog catalog;
    private final ProcessorSegments segments;
    private final ProcessorControl control;
    private final EventStore eventStore;

    ProcessorsController(ProcessorInspector inspector, ProjectionRebuilds rebuilds, ProcessorCatalog catalog,
                         ProcessorSegments segments, ProcessorControl control, EventStore eventStore) {
        this.control = control;
        this.eventStore = eventStore;
        this.catalog = catalog;
        this.segments = segments;
        this.inspector = inspector;
        this.rebuilds = rebuilds;
    }

    @Operation(operationId = "listProcessors", summary = "List the event processors",
            description = "Status, segments, tokens, lag, throughput, replay progress and dead letters of each.")
    @GetMapping
    List<ProcessorView> list() {
        return inspector.all();
    }

    @Operation(operationId = "getProcessor", summary = "Read one event processor")
    @ApiResponse(responseCode = "200", description = "The processor")
    @ApiResponse(responseCode = "404", description = "No event processor with this name")
    @GetMapping("/{name}")
    ProcessorView get(@PathVariable String name) {
        return inspector.one(name).orElseThrow(() -> unknown(name));
    }

    @Operation(operationId = "pauseProcessor", summary = "Pause an event processor",
            description = "On every instance, including instances started later: its segments are released and events "
                    + "wait in the store (or in Kafka) until it resumes. Answers once no instance holds a segment, or "
                    + "after 30 s.")
    @ApiResponse(responseCode = "200", description = "The processor after the pause")
    @ApiResponse(responseCode = "404", description = "No event processor with this name")
    @Audited("processor.pause")
    @PostMapping("/{name}/pause")
    ProcessorView pause(@PathVariable String name) throws InterruptedException {
        control.pause(name, processor(name));
        return get(name);
    }

    @Operation(operationId = "resumeProcessor", summary = "Resume an event processor",
            description = "On every instance: this one starts it at once, the others within a second.")
    @ApiResponse(responseCode = "200", description = "The processor after the resume")
    @ApiResponse(responseCode = "404", description = "No event processor with this name")
    @Audited("processor.resume")
    @PostMapping("/{name}/resume")
    ProcessorView resume(@PathVariable String name) {
        control.resume(name, processor(name));
        return get(name);
    }

    @Operation(operationId = "replayProcessor", summary = "Replay an event processor",
            description = "Resets its tokens and rebuilds its projection from the first event; reads say "
                    + "X-Orderflow-Rebuilding meanwhile.")
    @ApiResponse(responseCode = "202", description = "Accepted; the replay runs in the background and its progress "
            + "shows in the processor, which Location names",
            headers = @Header(name = "Location", description = "the processor's path",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No event processor with this name")
    @ApiResponse(responseCode = "409",
            description = "The processor may not be replayed (type /problems/not-replayable) or a replay is in "
                    + "progress (type /problems/replay-in-progress)")
    @Audited("processor.replay")
    @PostMapping("/{name}/replay")
    ResponseEntity<ProcessorView> replay(@PathVariable String name) {
        StreamingEventProcessor processor = processor(name);
        String why = catalog.whyNotReplayable(name);
        if (why == null && !processor.supportsReset()) {
            why = "its handlers do not allow a replay";
        }
        if (why != null) {
            throw new ConflictException("not-replayable", "This processor cannot be replayed", name + ": " + why);
        }
        ProcessorView before = get(name);
        if (rebuilds.rebuildOf(name).isPresent()) {
            throw new ConflictException("replay-in-progress", "A replay is in progress",
                    name + " is being rebuilt (" + before.progress() + " %); wait for it to finish");
        }
        if (!processor.isRunning()) {
            // Paused: nothing to wait for, so the reset happens before the answer; the replay begins on resume.
            try {
                control.replay(name, processor);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("the reset of " + name + " failed", e);
            }
            return ResponseEntity.accepted().location(URI.create("/api/admin/processors/" + name)).body(get(name));
        }
        operations.submit(() -> {
            try {
                control.replay(name, processor);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.error("Replay of {} could not start; the processor is set back as it was", name, e);
            }
        });
        return ResponseEntity.accepted().location(URI.create("/api/admin/processors/" + name)).body(before);
    }

    @Operation(operationId = "rewindProcessor", summary = "Move an event processor back, without a reset",
            description = "On every instance: the processor handles every event again from the start of its source, "
                    + "from a position of the event store, or from a moment. Nothing is cleared first, so its handlers "
                    + "take the events as redeliveries (recovery from a lost Kafka cluster: the publisher sends again "
                    + "from the store, the Kafka consumers read the new topics from the start). A position ahead of "
                    + "the processor is refused: that would skip events.")
    @ApiResponse(responseCode = "200", description = "The processor after the move")
    @ApiResponse(responseCode = "400", description = "A position below 0, a moment that is not ISO-8601, both given, "
            + "or a position or moment for a processor that reads Kafka (it can go back to the start only)")
    @ApiResponse(responseCode = "404", description = "No event processor with this name")
    @ApiResponse(responseCode = "409", description = "A segment is before the position (type /problems/rewind-forward), "
            + "or an instance kept a segment past the wait (/problems/segment-held-elsewhere); nothing changed")
    @Audited("processor.rewind")
    @PostMapping("/{name}/rewind")
    ProcessorView rewind(@PathVariable String name, @RequestBody(required = false) RewindRequest body)
            throws Exception {
        StreamingEventProcessor processor = processor(name);
        RewindRequest request = body == null ? new RewindRequest(null, null) : body;
        control.rewind(name, processor, rewindTarget(name, request));
        return get(name);
    }

    /**
     * Where to move back to: {@code position} (the first global index to handle again) or {@code at} (the first event
     * stored at or after that moment) in the event store; neither, the start of the source.
     */
    record RewindRequest(@Schema(nullable = true, description = "the event store's global index to handle again from")
                         Long position,
                         @Schema(nullable = true, description = "an ISO-8601 moment to handle again from")
                         String at) {
    }

    private TrackingToken rewindTarget(String name, RewindRequest request) {
        if (request.position() != null && request.at() != null) {
            throw InvalidRequestException.of("position", "give a position or a moment, not both");
        }
        if (request.position() == null && request.at() == null) {
            return null;
        }
        if (!catalog.kafkaTopicsOf(name).isEmpty()) {
            throw InvalidRequestException.of(request.position() != null ? "position" : "at",
                    name + " reads Kafka, and can only go back to the start of its topics: send no position");
        }
        if (request.position() != null) {
            if (request.position() < 0) {
                throw InvalidRequestException.of("position", "must be 0 or more");
            }
            return request.position() == 0 ? null
                    : GapAwareTrackingToken.newInstance(request.position() - 1, java.util.Collections.emptySortedSet());
        }
        try {
            return eventStore.createTokenAt(java.time.Instant.parse(request.at()));
        } catch (java.time.format.DateTimeParseException e) {
            throw InvalidRequestException.of("at", "must be an ISO-8601 moment such as 2026-12-06T03:00:00Z");
        }
    }

    @Operation(operationId = "splitProcessorSegment", summary = "Split a segment of an event processor in two",
            description = "Each half handles half of the sequences (orders, customers) the segment handled, from the "
                    + "segment's position; another instance, or another thread, can then claim the new half.")
    @ApiResponse(responseCode = "200", description = "The processor after the split")
    @ApiResponse(responseCode = "404", description = "No event processor with this name, or no such segment")
    @ApiResponse(responseCode = "409", description = "The processor is paused (type /problems/processor-paused), "
            + "has as many segments as it can run here (/problems/segment-limit), or another instance holds the "
            + "segment (/problems/segment-held-elsewhere)")
    @ApiResponse(responseCode = "503", description = "The split did not finish within 30 s; read the processor")
    @Audited("processor.split")
    @PostMapping("/{name}/segments/{segment}/split")
    ProcessorView split(@PathVariable String name, @PathVariable int segment) {
        segments.split(name, segment);
        return get(name);
    }

    @Operation(operationId = "mergeProcessorSegment", summary = "Merge a segment of an event processor with its "
            + "sibling", description = "The segment and the one it was split from (or into) become one, at the lower "
            + "of their positions: events the further one had handled may be handled again, as after a redelivery.")
    @ApiResponse(responseCode = "200", description = "The processor after the merge")
    @ApiResponse(responseCode = "404", description = "No event processor with this name, or no such segment")
    @ApiResponse(responseCode = "409", description = "The processor is paused (type /problems/processor-paused), "
            + "has a single segment (/problems/single-segment), or another instance holds one of the two segments "
            + "(/problems/segment-held-elsewhere)")
    @ApiResponse(responseCode = "503", description = "The merge did not finish within 30 s; read the processor")
    @Audited("processor.merge")
    @PostMapping("/{name}/segments/{segment}/merge")
    ProcessorView merge(@PathVariable String name, @PathVariable int segment) {
        segments.merge(name, segment);
        return get(name);
    }

    private StreamingEventProcessor processor(String name) {
        return inspector.streaming(name).orElseThrow(() -> unknown(name));
    }

    private static NotFoundException unknown(String name) {
        return new NotFoundException("no event processor named " + name);
    }

    @Override
    public void destroy() {
        operations.shutdownNow();
    }
}
