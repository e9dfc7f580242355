package io.orderflow.wiring.processors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.stereotype.Component;

/** The declared processors, for the operator console: their sources, replay policy and dead-letter queues. */
@Component
public class ProcessorCatalog {

    /** The processing group under which the Kafka extension registers its publisher. */
    public static final String KAFKA_PUBLISHER = KafkaPublisherProcessor.NAME;

    private final Map<String, ProcessorDeclaration> declarations = new LinkedHashMap<>();

    public ProcessorCatalog(List<ProcessorDeclaration> declarations) {
        for (ProcessorDeclaration declaration : declarations) {
            if (this.declarations.put(declaration.name(), declaration) != null) {
                throw new IllegalStateException("processor " + declaration.name() + " is declared twice");
            }
        }
    }

    /** Every declaration, in declaration order. */
    public List<ProcessorDeclaration> all() {
        return List.copyOf(declarations.values());
    }

    /** The declaration of a processor, if there is one. */
    public Optional<ProcessorDeclaration> find(String processor) {
        return Optional.ofNullable(declarations.get(processor));
    }

    /** The Kafka topics the processor reads, or an empty list if it reads the event store. */
    public List<String> kafkaTopicsOf(String processor) {
        return find(processor).map(declaration -> declaration.source().topics()).orElse(List.of());
    }

    /** Why the processor may not be replayed, or null if it may. */
    public String whyNotReplayable(String processor) {
        return find(processor).map(ProcessorDeclaration::notReplayableBecause).orElse(null);
    }

    /** The processors whose handlers park failing events in the dead-letter queue. */
    public Set<String> deadLettering() {
        Set<String> parking = new TreeSet<>();
        declarations.values().stream().filter(d -> d.failures() == ProcessorDeclaration.Failures.PARK)
                .forEach(d -> parking.add(d.name()));
        return Set.copyOf(parking);
    }
}
