package io.orderflow.gateway.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.gateway.web.Caller;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.projections.api.CustomerOrdersPage;
import io.orderflow.projections.api.FindCustomerOrdersQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * A customer's orders, newest first, a page at a time, from the order-summary projection.
 */
@RestController
class CustomerOrdersController {

    private final QueryGateway queryGateway;
    private final Caller callers;

    CustomerOrdersController(QueryGateway queryGateway, Caller callers) {
        this.queryGateway = queryGateway;
        this.callers = callers;
    }

    @Operation(operationId = "listCustomerOrders", summary = "List a customer's orders",
            description = "Newest first, a page at a time; an unknown customer has an empty list.")
    @ApiResponse(responseCode = "200", description = "One page of the customer's orders")
    @ApiResponse(responseCode = "404", description = "Another customer's list, asked by a customer")
    @GetMapping(path = "/api/customers/{customerId}/orders", produces = MediaType.APPLICATION_JSON_VALUE)
    OrdersPage list(@PathVariable UUID customerId, @RequestParam(defaultValue = "0") int page,
                    @RequestParam(defaultValue = "20") int size) throws InterruptedException {
        callers.current().requireActingFor(new CustomerId(customerId), "no customer " + customerId);
        // The query refuses a bad page or size with a violation naming it, answered as a 400 (ApiExceptionHandler).
        FindCustomerOrdersQuery query = new FindCustomerOrdersQuery(new CustomerId(customerId), page, size);
        try {
            CustomerOrdersPage result = queryGateway.query(query,
                    ResponseTypes.instanceOf(CustomerOrdersPage.class)).get();
            return new OrdersPage(result.items().stream().map(OrderController.OrderBody::of).toList(),
                    result.page(), result.size(), result.total());
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing the orders of customer " + customerId + " failed", e.getCause());
        }
    }

    /** One page of orders as the API shows it. */
    record OrdersPage(List<OrderController.OrderBody> items, int page, int size, long total) {
    }
}
