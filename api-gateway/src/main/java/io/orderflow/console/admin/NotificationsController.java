package io.orderflow.console.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.FindNotificationsQuery;
import io.orderflow.projections.api.NotificationView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/** The notifications sent about an order (docs/api.md), oldest first, with the event each one answers. */
@RestController
@RequestMapping(path = "/api/admin/notifications", produces = MediaType.APPLICATION_JSON_VALUE)
class NotificationsController {

    private final QueryGateway queryGateway;

    NotificationsController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    @Operation(operationId = "listNotifications", summary = "List an order's notifications")
    @ApiResponse(responseCode = "200", description = "The notifications of the order")
    @ApiResponse(responseCode = "400", description = "orderId is missing or not a UUID")
    @GetMapping
    List<NotificationView> list(@RequestParam(required = false) String orderId) throws InterruptedException {
        RequestFields fields = new RequestFields();
        if (orderId == null) {
            fields.reject("orderId", "is required");
        }
        fields.throwIfInvalid();
        OrderId order = fields.read("orderId", () -> new OrderId(UUID.fromString(orderId)));
        fields.throwIfInvalid();
        try {
            return queryGateway.query(new FindNotificationsQuery(order),
                    ResponseTypes.multipleInstancesOf(NotificationView.class)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the notifications failed", e.getCause());
        }
    }
}
