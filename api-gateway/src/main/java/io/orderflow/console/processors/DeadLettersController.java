package io.orderflow.console.processors;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.wiring.audit.Audited;
import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.gateway.web.RequestFields;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jpa.JpaDeadLetter;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dead-letter queues of the projection and notification processors (docs/api.md): the parked sequences with
 * their cause and size, and retry or delete of one sequence. A retry hands the sequence's events to the processor's
 * handlers again, oldest first; if the first still fails, the sequence stays parked with the new cause.
 */
@RestController
@RequestMapping(path = "/api/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLettersController {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLettersController.class);
    /** The most sequences one listing answers. */
    private static final int MAX_SEQUENCES = 1000;
    /** The letters of a sequence that a listing shows; the sequence's own path shows them all. */
    static final int LETTERS_LISTED = 20;

    private final EventProcessingConfiguration processing;
    private final TransactionManager transactions;

    private final ProcessorCatalog catalog;

    DeadLettersController(EventProcessingConfiguration processing, TransactionManager transactions,
                          ProcessorCatalog catalog) {
        this.catalog = catalog;
        this.processing = processing;
        this.transactions = transactions;
    }

    /** One parked sequence: all events of one order (or customer) from the first that failed on. */
    record ParkedSequence(String processor, String sequenceId, int size, String cause, String causeType,
                          Instant enqueuedAt, Instant lastTouched, List<Letter> letters) {
    }

    /** One parked event. */
    record Letter(String eventId, String type, String aggregateId, Long sequenceNumber, Instant enqueuedAt) {
    }

    /** What a retry did: whether the sequence was processed, and what is still parked of it. */
    record RetryResult(String processor, String sequenceId, boolean processed, int stillParked) {
    }

    @Operation(operationId = "listDeadLetters", summary = "List parked sequences",
            description = "The dead letters of every processor that parks failures, or of one: at most limit "
                    + "sequences, each with its size and its first " + LETTERS_LISTED + " letters (the sequence's "
                    + "own path lists them all).")
    @ApiResponse(responseCode = "200", description = "The parked sequences")
    @ApiResponse(responseCode = "400",
            description = "processor is not a processor that parks failures, or limit is not from 1 to 1000")
    @GetMapping
    List<ParkedSequence> list(@RequestParam(required = false) String processor,
                              @RequestParam(defaultValue = "100") String limit) {
        RequestFields fields = new RequestFields();
        int max = fields.readLimit("limit", limit, MAX_SEQUENCES);
        fields.throwIfInvalid();
        List<String> processors = processor == null ? catalog.deadLettering().stream().sorted().toList()
                : List.of(known(processor));
        List<ParkedSequence> parked = new ArrayList<>();
        for (String name : processors) {
            SequencedDeadLetterQueue<EventMessage<?>> queue = queue(name);
            // The queue is read a page at a time; reading stops at the limit.
            transactions.executeInTransaction(() -> {
                for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                    if (parked.size() >= max) {
                        return;
                    }
                    parked.add(describe(name, queue, sequence));
                }
            });
        }
        return parked;
    }

    /** One parked event in full: its payload, metadata, the cause and the queue's diagnostics. */
    record LetterDetail(String eventId, String type, String aggregateId, Long sequenceNumber, Instant timestamp,
                        Instant enqueuedAt, Instant lastTouched, String cause, String causeType, Object payload,
                        Map<String, ?> metaData, Map<String, ?> diagnostics) {
    }

    @Operation(operationId = "getDeadLetterSequence", summary = "Read one parked sequence",
            description = "Each parked event in full: payload, metadata, cause and diagnostics.")
    @ApiResponse(responseCode = "200", description = "The parked events of the sequence, oldest first")
    @ApiResponse(responseCode = "400", description = "processor is not a processor that parks failures")
    @ApiResponse(responseCode = "404", description = "Nothing is parked under this sequence id")
    @GetMapping("/{processor}/{sequenceId}")
    List<LetterDetail> sequence(@PathVariable String processor, @PathVariable String sequenceId) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(known(processor));
        requireParked(processor, sequenceId);
        List<LetterDetail> letters = new ArrayList<>();
        transactions.executeInTransaction(() -> {
            for (DeadLetter<? extends EventMessage<?>> letter : queue.deadLetterSequence(sequenceId)) {
                EventMessage<?> event = letter.message();
                letters.add(new LetterDetail(event.getIdentifier(), event.getPayloadType().getSimpleName(),
                        event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null,
                        event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null,
                        event.getTimestamp(), letter.enqueuedAt(), letter.lastTouched(),
                        letter.cause().map(Cause::message).orElse(null),
                        letter.cause().map(Cause::type).orElse(null), event.getPayload(),
                        Map.copyOf(event.getMetaData()), Map.copyOf(letter.diagnostics())));
            }
        });
        return letters;
    }

    @Operation(operationId = "retryDeadLetters", summary = "Retry a parked sequence",
            description = "Hands the sequence to its processor again, in order; what fails again stays parked.")
    @ApiResponse(responseCode = "200", description = "What the retry did")
    @ApiResponse(responseCode = "400", description = "processor is not a processor that parks failures")
    @ApiResponse(responseCode = "404", description = "Nothing is parked under this sequence id")
    @Audited("dead-letter.retry")
    @PostMapping("/{processor}/{sequenceId}/retry")
    RetryResult retry(@PathVariable String processor, @PathVariable String sequenceId) {
        SequencedDeadLetterProcessor<EventMessage<?>> letters = processing.sequencedDeadLetterProcessor(
                known(processor)).orElseThrow(() -> notFound(processor, sequenceId));
        requireParked(processor, sequenceId);
        boolean processed = letters.process(letter -> letter instanceof JpaDeadLetter<?> jpa
                && sequenceId.equals(jpa.getSequenceIdentifier()));
        int stillParked = size(processor, sequenceId);
        LOG.info("Dead letters of {} sequence {} retried by the operator: processed {}, still parked {}",
                processor, sequenceId, processed, stillParked);
        return new RetryResult(processor, sequenceId, processed && stillParked == 0, stillParked);
    }

    @Operation(operationId = "deleteDeadLetters", summary = "Delete a parked sequence",
            description = "Its events will not be applied by this processor; the log records the deletion.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "processor is not a processor that parks failures")
    @ApiResponse(responseCode = "404", description = "Nothing is parked under this sequence id")
    @Audited("dead-letter.delete")
    @DeleteMapping("/{processor}/{sequenceId}")
    ResponseEntity<Void> delete(@PathVariable String processor, @PathVariable String sequenceId) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(known(processor));
        requireParked(processor, sequenceId);
        transactions.executeInTransaction(() -> {
            for (DeadLetter<? extends EventMessage<?>> letter : queue.deadLetterSequence(sequenceId)) {
                queue.evict(letter);
            }
        });
        LOG.warn("Dead letters of {} sequence {} deleted by the operator: those events will not be applied",
                processor, sequenceId);
        return ResponseEntity.noContent().build();
    }

    private void requireParked(String processor, String sequenceId) {
        if (size(processor, sequenceId) == 0) {
            throw notFound(processor, sequenceId);
        }
    }

    private int size(String processor, String sequenceId) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(processor);
        Long size = transactions.fetchInTransaction(() -> queue.sequenceSize(sequenceId));
        return size == null ? 0 : size.intValue();
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String processor) {
        return processing.deadLetterQueue(processor).orElseThrow(() ->
                new NotFoundException("processor " + processor + " has no dead-letter queue"));
    }

    private String known(String processor) {
        if (!catalog.deadLettering().contains(processor)) {
            RequestFields fields = new RequestFields();
            fields.reject("processor", "must be one of " + catalog.deadLettering().stream().sorted()
                    .toList());
            fields.throwIfInvalid();
        }
        return processor;
    }

    private static NotFoundException notFound(String processor, String sequenceId) {
        return new NotFoundException("no parked sequence " + sequenceId + " in the dead letters of " + processor);
    }

    private static ParkedSequence describe(String processor, SequencedDeadLetterQueue<EventMessage<?>> queue,
                                           Iterable<DeadLetter<? extends EventMessage<?>>> sequence) {
        List<Letter> letters = new ArrayList<>();
        String sequenceId = null;
        DeadLetter<? extends EventMessage<?>> first = null;
        Instant lastTouched = null;
        for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
            if (first == null) {
                first = letter;
            }
            if (letter instanceof JpaDeadLetter<?> jpa) {
                sequenceId = jpa.getSequenceIdentifier();
            }
            lastTouched = lastTouched == null || letter.lastTouched().isAfter(lastTouched) ? letter.lastTouched()
                    : lastTouched;
            if (letters.size() == LETTERS_LISTED) {
                break;
            }
            EventMessage<?> event = letter.message();
            letters.add(new Letter(event.getIdentifier(), event.getPayloadType().getSimpleName(),
                    event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null,
                    event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null,
                    letter.enqueuedAt()));
        }
        Objects.requireNonNull(first, "an empty dead-letter sequence");
        String cause = first.cause().map(c -> c.message()).orElse(null);
        String causeType = first.cause().map(c -> c.type()).orElse(null);
        int size = letters.size() < LETTERS_LISTED || sequenceId == null ? letters.size()
                : (int) queue.sequenceSize(sequenceId);
        return new ParkedSequence(processor, sequenceId, size, cause, causeType, first.enqueuedAt(),
                lastTouched, letters);
    }
}
