package io.orderflow.gateway.contracts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.contracts.PublishedContracts.ServedContract;
import io.orderflow.gateway.web.NotFoundException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Serves the committed JSON Schema of every event revision (ADR 0005), so that a team consuming orderflow's topics
 * can read the contract it codes against and see which topic carries it ({@link PublishedContracts}).
 */
@RestController
@RequestMapping(path = "/api/contracts", produces = MediaType.APPLICATION_JSON_VALUE)
class ContractsController {

    private final PublishedContracts contracts;

    ContractsController(PublishedContracts contracts) {
        this.contracts = contracts;
    }

    @Operation(operationId = "listContracts", summary = "List the event contracts",
            description = "Every published event with its revision, topic and JSON Schema.")
    @GetMapping
    List<ServedContract> list() {
        return contracts.all();
    }

    @Operation(operationId = "getContract", summary = "Read one event contract",
            description = "The JSON Schema of one revision of one event.")
    @ApiResponse(responseCode = "200", description = "The JSON Schema")
    @ApiResponse(responseCode = "404", description = "No contract for this event and revision")
    @GetMapping("/{event}/{revision}")
    JsonNode schema(@PathVariable String event, @PathVariable String revision) {
        return contracts.all().stream().filter(c -> c.event().equals(event) && c.revision().equals(revision)).findFirst()
                .map(ServedContract::schema)
                .orElseThrow(() -> new NotFoundException("no contract for " + event + " revision " + revision
                        + "; GET /api/contracts lists them"));
    }
}
