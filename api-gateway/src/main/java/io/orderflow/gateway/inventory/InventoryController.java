package io.orderflow.gateway.inventory;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.orderflow.wiring.audit.Audited;
import io.orderflow.fulfillment.api.InventoryMessages.FindStockLevelQuery;
import io.orderflow.fulfillment.api.InventoryMessages.SetStockLevelCommand;
import io.orderflow.fulfillment.api.InventoryMessages.StockLevel;
import io.orderflow.gateway.web.Commands;
import io.orderflow.gateway.web.NotFoundException;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.gateway.web.TraceIds;
import io.orderflow.order.api.Sku;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Stock per SKU, kept by the fulfillment context: anyone may read it, an operator sets the available quantity.
 * {@code shipped} is shown besides the API's {@code available} and {@code reserved}, so that stock can be balanced.
 */
@RestController
@RequestMapping(path = "/api/inventory", produces = MediaType.APPLICATION_JSON_VALUE)
class InventoryController {

    private final QueryGateway queryGateway;
    private final Commands commands;

    InventoryController(QueryGateway queryGateway, Commands commands) {
        this.queryGateway = queryGateway;
        this.commands = commands;
    }

    @Operation(operationId = "getStock", summary = "Read the stock of a SKU")
    @ApiResponse(responseCode = "200", description = "The stock of the SKU")
    @ApiResponse(responseCode = "400", description = "The SKU is not a valid SKU")
    @ApiResponse(responseCode = "404", description = "The inventory holds no such SKU")
    @GetMapping("/{sku}")
    StockBody get(@PathVariable String sku) throws InterruptedException {
        RequestFields fields = new RequestFields();
        Sku validSku = fields.read("sku", () -> new Sku(sku));
        fields.throwIfInvalid();
        try {
            Optional<StockLevel> level = queryGateway.query(new FindStockLevelQuery(validSku),
                    ResponseTypes.optionalInstanceOf(StockLevel.class)).get();
            return level.map(StockBody::of).orElseThrow(() ->
                    new NotFoundException("the inventory holds no SKU " + validSku));
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the inventory failed", e.getCause());
        }
    }

    @Operation(operationId = "setStock", summary = "Set the available stock of a SKU",
            description = "Sets what is available; stock already reserved for orders is kept.")
    @ApiResponse(responseCode = "200", description = "The stock after the change")
    @ApiResponse(responseCode = "503", description = "The outcome is not known yet")
    @Audited("inventory.stock")
    @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
    StockBody set(@PathVariable String sku, @RequestBody SetStockRequest request,
                  @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        RequestFields fields = new RequestFields();
        Sku validSku = fields.read("sku", () -> new Sku(sku));
        fields.requireBody(request);
        if (fields.require("available", request.available())) {
            fields.readValue("", () -> SetStockLevelCommand.validAvailable(request.available()));
        }
        fields.throwIfInvalid();
        StockLevel level = commands.send(new SetStockLevelCommand(validSku, request.available()),
                traceId);
        return StockBody.of(level);
    }

    /** The body of {@code PUT /api/inventory/{sku}}. */
    record SetStockRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer available) {
    }

    /** A SKU's stock as the API shows it. */
    record StockBody(String sku, int available, int reserved, int shipped) {

        static StockBody of(StockLevel level) {
            return new StockBody(level.sku().value(), level.available(), level.reserved(), level.shipped());
        }
    }
}
