package io.orderflow.gateway.order;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.gateway.web.Caller;
import io.orderflow.gateway.web.MoneyAmounts;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.gateway.web.Amounts;
import io.orderflow.gateway.web.Commands;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.gateway.web.ReadYourWrites;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.gateway.web.TraceIds;
import io.orderflow.order.api.OrderCommands.CancelOrderCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.PlaceOrderResult;
import io.orderflow.projections.api.OrderSummaryView;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The order endpoints of the public API (docs/api.md): placing an order is a command answered synchronously with
 * the accepted total and version; reading one is a query on the order-summary projection.
 */
@RestController
@RequestMapping(path = "/api/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

    private final Commands commands;
    private final OrderQueries queries;
    private final IdempotentOrderPlacement idempotentPlacement;
    private final Supplier<UUID> idGenerator;
    private final Caller callers;

    OrderController(Commands commands, OrderQueries queries, IdempotentOrderPlacement idempotentPlacement,
                    Supplier<UUID> idGenerator, Caller callers) {
        this.callers = callers;
        this.commands = commands;
        this.queries = queries;
        this.idempotentPlacement = idempotentPlacement;
        this.idGenerator = idGenerator;
    }

    @Operation(operationId = "placeOrder", summary = "Place an order",
            description = "The order is accepted when its lines match the catalogue; fulfilment follows "
                    + "asynchronously. With an Idempotency-Key a retry answers the first outcome instead of placing "
                    + "a second order.")
    @ApiResponse(responseCode = "201", description = "Placed; Location names the new order",
            headers = @Header(name = "Location", description = "the new order's path",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "A customer's token and a body naming another customer")
    @ApiResponse(responseCode = "409",
            description = "A line's unitPrice is not the catalogue's price any more (type /problems/price-changed)")
    @ApiResponse(responseCode = "422",
            description = "An unknown SKU, a currency other than the catalogue's, a total of zero or above the "
                    + "highest total, or an Idempotency-Key reused for "
                    + "another request")
    @ApiResponse(responseCode = "503",
            description = "The outcome is not known yet; retry with the same Idempotency-Key")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PlacedOrder> place(@RequestBody PlaceOrderRequest body,
                                      @RequestAttribute(TraceIds.ATTRIBUTE) String traceId,
                                      @Parameter(description = "Makes a retry safe: the same key with the "
                                              + "same body answers the first outcome; 1 to 200 printable ASCII "
                                              + "characters", schema = @Schema(pattern = "^[\\x21-\\x7E]{1,200}$"))
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        if (key != null) {
            IdempotentOrderPlacement.requireValidKey(key);
        }
        // A customer's order is theirs whatever the body says (403 if it names another).
        Caller.Identity caller = callers.current();
        PlaceOrderRequest request = body == null ? null : body.placedBy(caller);
        // Validated before the key is claimed: a refused body never uses up a key.
        PlaceOrderCommand validated = OrderRequests.toCommand(new OrderId(idGenerator.get()), request);
        PlacedOrder placed = key == null
                ? PlacedOrder.of(commands.send(validated, traceId))
                : idempotentPlacement.place(new IdempotentOrderPlacement.Key(caller.subject(), key), request,
                        id -> OrderRequests.toCommand(id, request), traceId);
        return ResponseEntity.created(URI.create("/api/orders/" + placed.orderId()))
                .body(placed);
    }

    @Operation(operationId = "getOrder", summary = "Read an order",
            description = "From the order-summary projection. With minVersion the answer waits (bounded) until the "
                    + "projection has applied that version; X-Orderflow-Stale: true says it had not.")
    @ApiResponse(responseCode = "200", description = "The order")
    @ApiResponse(responseCode = "404", description = "No order with this id (yet, if it was just placed and read "
            + "without minVersion), or another customer's")
    @GetMapping("/{orderId}")
    CompletableFuture<ResponseEntity<OrderBody>> get(@PathVariable UUID orderId,
                                                    @RequestParam(required = false) Long minVersion) {
        // Who asks is known on this thread; the answer may be completed on another.
        Caller.Identity caller = callers.current();
        return queries.findSummary(new OrderId(orderId), minVersion).thenApply(read -> {
            // Another customer's order is answered like an order that does not exist.
            OrderSummaryView view = read.view().filter(found -> caller.mayActFor(new CustomerId(found.customerId())))
                    .orElseThrow(() -> new NotFoundException("no order " + orderId
                            + (minVersion != null ? " yet; if it was just placed, it may still be on its way" : "")));
            return ResponseEntity.ok().headers(read.headers()).body(OrderBody.of(view));
        });
    }

    @Operation(operationId = "cancelOrder", summary = "Cancel an order",
            description = "Possible until the order is shipped; a payment already taken is refunded by the "
                    + "fulfilment saga.")
    @ApiResponse(responseCode = "200", description = "Cancelled; the order's status and version after it")
    @ApiResponse(responseCode = "404", description = "No order with this id, or another customer's")
    @ApiResponse(responseCode = "409",
            description = "The order can no longer be cancelled (type /problems/invalid-transition), or it changed "
                    + "concurrently")
    @ApiResponse(responseCode = "503",
            description = "The outcome is not known yet; read the order to see whether it was cancelled")
    @PostMapping(path = "/{orderId}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
    StatusChange cancel(@PathVariable UUID orderId, @RequestBody CancelRequest request,
                        @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        RequestFields fields = new RequestFields();
        CancelOrderCommand command = fields.require("reason", request == null ? null : request.reason())
                ? fields.read("reason", () -> new CancelOrderCommand(new OrderId(orderId), request.reason(),
                        customerAsking())) : null;
        fields.throwIfInvalid();
        OrderWriteResult result = commands.send(command, traceId);
        return new StatusChange(result.orderId().toString(), result.status().name(), result.version());
    }

    /** The customer asking, who may act only on their own orders; null for an operator or a service. */
    private CustomerId customerAsking() {
        Caller.Identity caller = callers.current();
        return caller.actsForAnyCustomer() ? null : caller.customer();
    }

    /** The body of a cancellation. */
    record CancelRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String reason) {
    }

    /** The answer to a command that moved an order: its status and version after it. */
    record StatusChange(String orderId, String status, long version) {
    }

    /** The answer to placing an order. */
    record PlacedOrder(String orderId, String status,
                       @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                       String totalAmount,
                       String currency, long version) {

        static PlacedOrder of(PlaceOrderResult result) {
            return new PlacedOrder(result.orderId().toString(), "ACCEPTED",
                    result.total().amount().toPlainString(), result.total().currency().getCurrencyCode(),
                    result.version());
        }
    }

    /** An order as {@code GET /api/orders/{orderId}} shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OrderBody(String orderId, String customerId, String status,
                     @Schema(nullable = true, description = "why the order failed; null unless FAILED")
                     String failureReason,
                     List<LineBody> lines,
                     @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                     String totalAmount,
                     String currency,
                     @Schema(description = "the address snapshot; null if the order names an address version "
                             + "instead") PostalAddress deliveryAddress,
                     @Schema(nullable = true, description = "the customer's address "
                             + "version to ship to; null for an address snapshot") Long addressVersion,
                     List<HistoryBody> history, long version) {

        static OrderBody of(OrderSummaryView view) {
            return new OrderBody(view.orderId().toString(), view.customerId().toString(), view.status(),
                    view.failureReason(),
                    view.lines().stream().map(l -> new LineBody(l.sku(), l.name(), l.quantity(),
                            Amounts.format(l.unitPrice(), view.currency()),
                            Amounts.format(l.lineTotal(), view.currency()))).toList(),
                    Amounts.format(view.totalAmount(), view.currency()),
                    view.currency(), view.deliveryAddress(), view.addressVersion(),
                    view.history().stream().map(h -> new HistoryBody(h.type(), h.at())).toList(),
                    view.version());
        }
    }

    record LineBody(String sku, String name, int quantity,
                    @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                    String unitPrice,
                    @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                    String lineTotal) {
    }

    record HistoryBody(String type, Instant at) {
    }
}
