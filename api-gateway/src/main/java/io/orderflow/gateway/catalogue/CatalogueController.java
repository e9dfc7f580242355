package io.orderflow.gateway.catalogue;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.wiring.audit.Audited;
import io.orderflow.gateway.web.MoneyAmounts;
import io.orderflow.gateway.web.Amounts;
import io.orderflow.gateway.web.Commands;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.gateway.web.TraceIds;
import io.orderflow.order.api.CatalogueMessages.CatalogueItemView;
import io.orderflow.order.api.CatalogueMessages.ListCatalogueQuery;
import io.orderflow.order.api.CatalogueMessages.PriceCatalogueItemCommand;
import io.orderflow.order.api.Money;
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

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The catalogue that prices orders: anyone may read it; an operator sets an item's name and price.
 */
@RestController
@RequestMapping(path = "/api/catalogue", produces = MediaType.APPLICATION_JSON_VALUE)
class CatalogueController {

    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    private final QueryGateway queryGateway;
    private final Commands commands;

    CatalogueController(QueryGateway queryGateway, Commands commands) {
        this.queryGateway = queryGateway;
        this.commands = commands;
    }

    @Operation(operationId = "listCatalogue", summary = "List the catalogue")
    @GetMapping
    List<ItemBody> list() throws InterruptedException {
        try {
            return queryGateway.query(new ListCatalogueQuery(),
                    ResponseTypes.multipleInstancesOf(CatalogueItemView.class)).get().stream()
                    .map(ItemBody::of).toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the catalogue failed", e.getCause());
        }
    }

    @Operation(operationId = "priceItem", summary = "Price a catalogue item",
            description = "Adds the item or changes its name and price; orders placed with the old price are refused "
                    + "with 409.")
    @ApiResponse(responseCode = "200", description = "The item as stored")
    @ApiResponse(responseCode = "503", description = "The outcome is not known yet")
    @Audited("catalogue.price")
    @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ItemBody price(@PathVariable String sku, @RequestBody PriceRequest request,
                   @RequestAttribute(TraceIds.ATTRIBUTE) String traceId) {
        RequestFields fields = new RequestFields();
        Sku validSku = fields.read("sku", () -> new Sku(sku));
        fields.requireBody(request);
        // Non-short-circuit '&': every missing field is reported, not only the first.
        boolean complete = fields.require("name", request.name())
                & fields.require("unitPrice", request.unitPrice())
                & fields.require("currency", request.currency());
        Currency currency = request.currency() == null ? null
                : fields.read("currency", () -> currency(request.currency()));
        Money price = complete && currency != null
                ? fields.read("unitPrice", () -> new Money(request.unitPrice(), currency)) : null;
        if (price != null) {
            fields.readValue("", () -> PriceCatalogueItemCommand.validUnitPrice(price));
        }
        fields.throwIfInvalid();
        // Only the name is left to check: the command names it in its message.
        PriceCatalogueItemCommand command =
                fields.read("name", () -> new PriceCatalogueItemCommand(validSku, request.name(), price));
        fields.throwIfInvalid();
        CatalogueItemView stored = commands.send(command, traceId);
        return ItemBody.of(stored);
    }

    private static Currency currency(String code) {
        if (!CURRENCY_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("must be an ISO-4217 code such as EUR");
        }
        return Currency.getInstance(code);
    }

    /** The body of {@code PUT /api/catalogue/{sku}}. */
    record PriceRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string",
                                pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                        BigDecimal unitPrice,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "EUR") String currency) {
    }

    /** One catalogue item as the API shows it. */
    record ItemBody(String sku, String name,
                    @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                    String unitPrice,
                    String currency) {

        static ItemBody of(CatalogueItemView view) {
            return new ItemBody(view.sku(), view.name(), Amounts.format(view.unitPrice(), view.currency()),
                    view.currency());
        }
    }
}
