package io.orderflow.console.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FindFulfillmentSagasQuery;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FulfillmentSagaView;
import io.orderflow.gateway.web.RequestFields;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** The running fulfillment sagas for the operator: step, associations, deadlines, and why a stuck one is stuck. */
@RestController
@RequestMapping(path = "/api/admin/sagas", produces = MediaType.APPLICATION_JSON_VALUE)
class SagasController {

    private static final Set<String> STEPS = Set.of("STARTING", "AWAITING_ADDRESS", "RESERVING_STOCK",
            "AUTHORIZING_PAYMENT", "ARRANGING_SHIPMENT", "COMPENSATING", "STUCK");
    private static final int MAX_LIMIT = 1000;

    private final QueryGateway queryGateway;

    SagasController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    @Operation(operationId = "listSagas", summary = "List fulfillment sagas",
            description = "Optionally only those in one step; stuck sagas say since when.")
    @ApiResponse(responseCode = "200", description = "The sagas")
    @ApiResponse(responseCode = "400", description = "An unknown state or a limit that is not valid")
    @GetMapping
    List<FulfillmentSagaView> list(@RequestParam(required = false) String state,
                                   @RequestParam(defaultValue = "100") String limit) throws InterruptedException {
        RequestFields fields = new RequestFields();
        if (state != null && !STEPS.contains(state)) {
            fields.reject("state", "must be one of " + STEPS.stream().sorted().toList());
        }
        int max = fields.readLimit("limit", limit, MAX_LIMIT);
        fields.throwIfInvalid();
        try {
            return queryGateway.query(new FindFulfillmentSagasQuery(state, max),
                    ResponseTypes.multipleInstancesOf(FulfillmentSagaView.class)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the sagas failed", e.getCause());
        }
    }
}
