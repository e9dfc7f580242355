package io.orderflow.gateway.quote;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.gateway.web.MoneyAmounts;
import io.orderflow.fulfillment.api.DeliveryQuoteMessages.DeliveryQuote;
import io.orderflow.fulfillment.api.DeliveryQuoteMessages.FindDeliveryQuoteQuery;
import io.orderflow.gateway.web.Amounts;
import io.orderflow.gateway.web.UnprocessableException;
import io.orderflow.gateway.web.RequestFields;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.ExecutionException;

/**
 * {@code GET /api/quotes/delivery?country=XX&items=N}: what a delivery would cost, asked synchronously of shipping.
 * Nothing is recorded. A country no carrier serves is a 422.
 */
@RestController
@RequestMapping(path = "/api/quotes", produces = MediaType.APPLICATION_JSON_VALUE)
class QuoteController {

    private final QueryGateway queryGateway;

    QuoteController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    @Operation(operationId = "quoteDelivery", summary = "Quote a delivery",
            description = "What delivering a number of items to a country would cost.")
    @ApiResponse(responseCode = "200", description = "The quote")
    @ApiResponse(responseCode = "400", description = "country or items is missing or not valid")
    @ApiResponse(responseCode = "422",
            description = "No carrier serves the destination (type /problems/unserved-destination)")
    @GetMapping("/delivery")
    QuoteBody delivery(@RequestParam(required = false) String country,
                               @RequestParam(required = false) String items) throws InterruptedException {
        RequestFields fields = new RequestFields();
        fields.require("country", country);
        fields.require("items", items);
        fields.throwIfInvalid();
        Integer number = fields.read("items", () -> {
            try {
                return Integer.parseInt(items);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
        });
        Integer count = number == null ? null : fields.readValue("", () -> FindDeliveryQuoteQuery.validItems(number));
        // The country is checked on its own, also when the item count was refused.
        FindDeliveryQuoteQuery query = fields.read("country", () -> new FindDeliveryQuoteQuery(country,
                count == null ? 1 : count));
        fields.throwIfInvalid();
        try {
            DeliveryQuote quote = queryGateway.query(query, ResponseTypes.instanceOf(DeliveryQuote.class)).get();
            if (!quote.served()) {
                throw new UnprocessableException("unserved-destination", "No carrier serves the destination",
                        quote.unservedReason());
            }
            return new QuoteBody(Amounts.format(quote.amount(), quote.currency()), quote.currency());
        } catch (ExecutionException e) {
            throw new IllegalStateException("asking shipping for a quote failed", e.getCause());
        }
    }

    /** A quote as the API shows it. */
    record QuoteBody(@Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                     String amount, String currency) {
    }
}
