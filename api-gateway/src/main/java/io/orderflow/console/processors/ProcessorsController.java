package io.orderflow.console.processors;

import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.gateway.web.ConflictException;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.projections.api.ProjectionRebuilds;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The event processors for the operator (docs/api.md): their state, pause and resume, and replay on demand.
 *
 * <p>A replay stops the processor, resets its tokens (its {@code @ResetHandler} starts a new generation of the
 * projection, ADR 0010) and starts it again. Stopping waits for the batch in progress, so the work runs in the
 * background and the call answers 202 at once; the listing shows the progress. A paused processor is reset and
 * stays paused until it is resumed.
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

    ProcessorsController(ProcessorInspector inspector, ProjectionRebuilds rebuilds, ProcessorCatalog catalog) {
        this.catalog = catalog;
        this.inspector = inspector;
        this.rebuilds = rebuilds;
    }

    @GetMapping
    List<ProcessorView> list() {
        return inspector.all();
    }

    @GetMapping("/{name}")
    ProcessorView get(@PathVariable String name) {
        return inspector.one(name).orElseThrow(() -> unknown(name));
    }

    @PostMapping("/{name}/pause")
    ProcessorView pause(@PathVariable String name) {
        StreamingEventProcessor processor = processor(name);
        processor.shutDown();
        LOG.info("Processor {} paused by the operator", name);
        return get(name);
    }

    @PostMapping("/{name}/resume")
    ProcessorView resume(@PathVariable String name) {
        StreamingEventProcessor processor = processor(name);
        processor.start();
        LOG.info("Processor {} resumed by the operator", name);
        return get(name);
    }

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
            // A paused processor is reset at once and stays paused: the replay begins when it is resumed.
            processor.resetTokens();
            LOG.info("Processor {} reset while paused; the replay begins when it is resumed", name);
            return ResponseEntity.accepted().location(URI.create("/api/admin/processors/" + name)).body(get(name));
        }
        operations.submit(() -> {
            try {
                LOG.info("Replay of {}: stopping the processor", name);
                processor.shutdownAsync().get(60, TimeUnit.SECONDS);
                processor.resetTokens();
                processor.start();
                LOG.info("Replay of {} started; its progress shows in GET /api/admin/processors", name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.error("Replay of {} could not start; the processor is started again as it was", name, e);
                processor.start();
            }
        });
        return ResponseEntity.accepted().location(URI.create("/api/admin/processors/" + name)).body(before);
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
