package io.orderflow.console.admin;

import io.orderflow.gateway.web.RequestFields;
import io.orderflow.wiring.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The operator audit log: who paused, resumed or replayed what, retried or deleted dead letters, set prices. */
@RestController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @Operation(operationId = "listAudit", summary = "List operator actions",
            description = "Newest first: who, what, on which path, when, and how it ended (refusals included).")
    @ApiResponse(responseCode = "200", description = "The actions, newest first")
    @ApiResponse(responseCode = "400", description = "A limit that is not 1 to 1000, or a blank actor")
    @GetMapping(path = "/api/admin/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    List<AuditLog.Entry> list(@RequestParam(defaultValue = "100") String limit,
                              @RequestParam(required = false) String actor) {
        RequestFields fields = new RequestFields();
        int max = fields.readLimit("limit", limit, AuditLog.MAX_LIMIT);
        if (actor != null && (actor.isBlank() || actor.length() > 200)) {
            fields.reject("actor", "must be 1 to 200 characters");
        }
        fields.throwIfInvalid();
        return audit.newest(max, actor);
    }
}
