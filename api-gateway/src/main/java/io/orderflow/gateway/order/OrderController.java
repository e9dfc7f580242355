package io.orderflow.gateway.order;

import io.swagger.v3.oas.annotations.media.Schema;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

    OrderController(Commands commands, OrderQueries queries, IdempotentOrderPlacement idempotentPlacement,
                    Supplier<UUID> idGenerator) {
        this.commands = commands;
        this.queries = queries;
        this.idempotentPlacement = idempotentPlacement;
        this.idGenerator = idGenerator;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PlacedOrder> place(@RequestBody PlaceOrderRequest request,
                                      @RequestHeader(name = TraceIds.HEADER, required = false) String traceHeader,
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        String traceId = TraceIds.fromHeaderOrNew(traceHeader);
        if (key != null) {
            IdempotentOrderPlacement.requireValidKey(key);
        }
        // Validated before the key is claimed: a refused body never uses up a key.
        PlaceOrderCommand validated = OrderRequests.toCommand(new OrderId(idGenerator.get()), request);
        PlacedOrder placed = key == null
                ? PlacedOrder.of(commands.send(validated, traceId))
                : idempotentPlacement.place(key, request, id -> OrderRequests.toCommand(id, request), traceId);
        return ResponseEntity.created(URI.create("/api/orders/" + placed.orderId()))
                .header(TraceIds.HEADER, traceId)
                .body(placed);
    }

    @GetMapping("/{orderId}")
    ResponseEntity<OrderBody> get(@PathVariable UUID orderId, @RequestParam(required = false) Long minVersion) {
        ReadYourWrites.Read<OrderSummaryView> read = queries.findSummary(new OrderId(orderId), minVersion);
        OrderSummaryView view = read.view().orElseThrow(() -> new NotFoundException("no order " + orderId
                + (minVersion != null ? " yet; if it was just placed, it may still be on its way" : "")));
        return ResponseEntity.ok().headers(read.headers()).body(OrderBody.of(view));
    }

    @PostMapping(path = "/{orderId}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
    StatusChange cancel(@PathVariable UUID orderId, @RequestBody CancelRequest request,
                        @RequestHeader(name = TraceIds.HEADER, required = false) String traceHeader) {
        RequestFields fields = new RequestFields();
        CancelOrderCommand command = fields.require("reason", request == null ? null : request.reason())
                ? fields.read("reason", () -> new CancelOrderCommand(new OrderId(orderId), request.reason())) : null;
        fields.throwIfInvalid();
        OrderWriteResult result = commands.send(command, TraceIds.fromHeaderOrNew(traceHeader));
        return new StatusChange(result.orderId().toString(), result.status().name(), result.version());
    }

    /** The body of a cancellation. */
    record CancelRequest(String reason) {
    }

    /** The answer to a command that moved an order: its status and version after it. */
    record StatusChange(String orderId, String status, long version) {
    }

    /** The answer to placing an order. */
    record PlacedOrder(String orderId, String status,
                       @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION) String totalAmount,
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
                     @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION) String totalAmount,
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
                    @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION) String unitPrice,
                    @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION) String lineTotal) {
    }

    record HistoryBody(String type, Instant at) {
    }
}
