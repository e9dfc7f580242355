package io.orderflow.gateway.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.contractcheck.CommittedContract;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.wiring.kafka.EventTopicRouting;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every committed event contract (ADR 0005) with the topic that carries its events, read from the class path once at
 * start-up: the files each module commits under {@code src/main/resources/contracts}, which the build has already
 * checked against the event classes. The contracts API and the AsyncAPI document both answer from here.
 */
@Component
class PublishedContracts {

    private static final String LOCATION = "classpath*:" + CommittedContract.DIRECTORY + "/*.schema.json";

    private final List<ServedContract> contracts;

    PublishedContracts(EventTopicRouting routing) throws IOException {
        this.contracts = load(routing);
    }

    /**
     * One event revision's contract.
     *
     * @param event    the event's simple name, as in {@code /api/contracts/{event}/{revision}}
     * @param type     the type name found in the store and in the {@code axon-message-type} header
     * @param revision the revision found in the {@code axon-message-revision} header
     * @param topic    the Kafka topic that carries the event; absent for an event that stays in the store
     * @param schema   the JSON Schema
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ServedContract(String event, String type, String revision, String topic, JsonNode schema) {
    }

    /** All of them, by event name and revision. */
    List<ServedContract> all() {
        return contracts;
    }

    private static List<ServedContract> load(EventTopicRouting routing) throws IOException {
        List<ServedContract> loaded = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
            CommittedContract contract;
            try (InputStream in = resource.getInputStream()) {
                contract = CommittedContract.read(resource.getFilename(), in);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable event contract " + resource, e);
            }
            boolean duplicate = loaded.stream().anyMatch(c -> c.event().equals(contract.event())
                    && c.revision().equals(contract.revision()));
            if (duplicate) {
                // Each module checks only its own events; two contexts naming an event alike would make the URL
                // ambiguous, so refuse to start rather than serve one of them at random.
                throw new IllegalStateException("two event contracts are named " + contract.event() + " revision "
                        + contract.revision() + " (one is " + resource + "); event names must be unique");
            }
            loaded.add(new ServedContract(contract.event(), contract.type(), contract.revision(),
                    topicOf(contract.type(), routing).orElse(null), contract.schema()));
        }
        loaded.sort(Comparator.comparing(ServedContract::event)
                .thenComparing(c -> c.revision().length()).thenComparing(ServedContract::revision));
        return List.copyOf(loaded);
    }

    private static Optional<String> topicOf(String type, EventTopicRouting routing) {
        // The routed address events are written by the address router, not the store's publisher (ADR 0023).
        Optional<String> routed = AddressTopics.topicOf(type);
        if (routed.isPresent()) {
            return routed;
        }
        try {
            return routing.topicFor(Class.forName(type, false, PublishedContracts.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            // An older revision can outlive a renamed class; it is still served, without a topic.
            return Optional.empty();
        }
    }
}
