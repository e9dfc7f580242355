package io.orderflow.gateway.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.gateway.kafka.EventTopicRouting;
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

/**
 * Serves the committed JSON Schema of every event revision, so that a team consuming orderflow's topics can read
 * the contract it codes against, and see which topic carries it.
 */
@RestController
@RequestMapping(path = "/api/contracts", produces = MediaType.APPLICATION_JSON_VALUE)
class ContractsController {

    private final List<Contract> contracts;

    ContractsController(ObjectMapper json, EventTopicRouting routing) throws IOException {
        this.contracts = load(json, routing);
    }

    /** One event revision's contract. */
    record Contract(String event, String type, String revision, String topic, JsonNode schema) {
    }

    @GetMapping
    List<Contract> list() {
        return contracts;
    }

    @GetMapping("/{event}/{revision}")
    JsonNode schema(@PathVariable String event, @PathVariable String revision) {
        return contracts.stream().filter(c -> c.event().equals(event) && c.revision().equals(revision)).findFirst()
                .map(Contract::schema)
                .orElseThrow(() -> new NotFoundException("no contract for " + event + " revision " + revision));
    }

    private static List<Contract> load(ObjectMapper json, EventTopicRouting routing) throws IOException {
        List<Contract> loaded = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:contracts/*.schema.json")) {
            try (InputStream in = resource.getInputStream()) {
                JsonNode schema = json.readTree(in);
                String type = schema.path("x-event-type").asText();
                loaded.add(new Contract(schema.path("title").asText(), type, schema.path("x-revision").asText(),
                        topicOf(type, routing), schema));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable contract " + resource, e);
            }
        }
        loaded.sort(Comparator.comparing(Contract::event).thenComparing(Contract::revision));
        return List.copyOf(loaded);
    }

    private static String topicOf(String type, EventTopicRouting routing) {
        try {
            return routing.topicFor(Class.forName(type)).orElse(null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
