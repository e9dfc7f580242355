package io.orderflow.gateway.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the AsyncAPI document of orderflow's topics ({@link AsyncApiDocument}). */
@RestController
class AsyncApiController {

    private final AsyncApiDocument document;

    AsyncApiController(AsyncApiDocument document) {
        this.document = document;
    }

    @Operation(operationId = "getAsyncApi", summary = "Read the AsyncAPI document of the Kafka topics",
            description = "AsyncAPI 3.0: every topic, its key, the events it carries with their JSON Schemas, and "
                    + "the CloudEvents and trace headers of every record.")
    @GetMapping(path = "/api/asyncapi", produces = MediaType.APPLICATION_JSON_VALUE)
    JsonNode asyncApi() {
        return document.document();
    }
}
