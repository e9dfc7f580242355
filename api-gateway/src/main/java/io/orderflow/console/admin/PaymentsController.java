package io.orderflow.console.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.gateway.web.Problems;
import io.orderflow.gateway.web.RequestFields;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * The payment provider's ledger, as the provider reports it ({@code GET /v1/ledger}): one entry per authorization,
 * so a test or an operator can count the charges of an order.
 */
@RestController
@RequestMapping(path = "/api/admin/payments", produces = {MediaType.APPLICATION_JSON_VALUE,
        MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class PaymentsController {

    private final PaymentLedger ledger;

    PaymentsController(PaymentLedger ledger) {
        this.ledger = ledger;
    }

    @Operation(operationId = "getPaymentLedger", summary = "Read the payment provider's ledger",
            description = "What the provider recorded, for all orders or one: the latest limit entries "
                    + "(100 unless given, at most 1000), oldest first.")
    @ApiResponse(responseCode = "200", description = "The ledger entries, as the provider gives them")
    @ApiResponse(responseCode = "400", description = "orderId is not a UUID, or limit is not from 1 to 1000")
    @ApiResponse(responseCode = "502",
            description = "The payment provider did not answer (type /problems/provider-unavailable)")
    @GetMapping
    ResponseEntity<?> ledger(@RequestParam(required = false) String orderId,
                             @RequestParam(defaultValue = "100") String limit) {
        RequestFields fields = new RequestFields();
        UUID order = orderId == null ? null : fields.read("orderId", () -> UUID.fromString(orderId));
        int max = fields.readLimit("limit", limit, 1000);
        fields.throwIfInvalid();
        return ledger.entries(order, max)
                .<ResponseEntity<?>>map(entries -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(entries))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(Problems.of(HttpStatus.BAD_GATEWAY, "provider-unavailable",
                                "The payment provider did not answer", "the provider's ledger could not be read")));
    }
}
