package io.orderflow.gateway.contracts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.contractcheck.CommittedContract;
import io.orderflow.wiring.kafka.EventTopicRouting;
import io.orderflow.gateway.web.NotFoundException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Serves the committed JSON Schema of every event revision (ADR 0005), so that a team consuming orderflow's topics
 * can read the contract it codes against and see which topic carries it. The schemas are the files each module
 * commits under {@code src/main/resources/contracts}, read from the class path once at start-up; the build has
 * already checked them against the event classes.
 */
@RestController
@RequestMapping(path = "/api/contracts", produces = MediaType.APPLICATION_JSON_VALUE)
class ContractsController {

    private static final String LOCATION = "classpath*:" + CommittedContract.DIRECTORY + "/*.schema.json";

    private final List<ServedContract> contracts;

    ContractsController(EventTopicRouting routing) throws IOException {
        this.contracts = load(routing);
    }

    /**
     * One event revision's contract as listed.
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

    @Operation(operationId = "listContracts", summary = "List the event contracts",
            description = "Every published event with its revision, topic and JSON Schema.")
    @GetMapping
    List<ServedContract> list() {
        return contracts;
    }

    @Operation(operationId = "getContract", summary = "Read one event contract",
            description = "The JSON Schema of one revision of one event.")
    @ApiResponse(responseCode = "200", description = "The JSON Schema")
    @ApiResponse(responseCode = "404", description = "No contract for this event and revision")
    @GetMapping("/{event}/{revision}")
    JsonNode schema(@PathVariable String event, @PathVariable String revision) {
        return contracts.stream().filter(c -> c.event().equals(event) && c.revision().equals(revision)).findFirst()
                .map(ServedContract::schema)
                .orElseThrow(() -> new NotFoundException("no contract for " + event + " revision " + revision
                        + "; GET /api/contracts lists them"));
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
        try {
            return routing.topicFor(Class.forName(type, false, ContractsController.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            // An older revision can outlive a renamed class; it is still served, without a topic.
            return Optional.empty();
        }
    }
}
