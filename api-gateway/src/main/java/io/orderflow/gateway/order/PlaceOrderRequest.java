package io.orderflow.gateway.order;

import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.gateway.web.MoneyAmounts;
import io.orderflow.gateway.web.AddressBody;
import io.orderflow.gateway.web.Caller;
import io.orderflow.gateway.web.ForbiddenException;

import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /api/orders}, exactly as the client sent it. Unknown fields (such as {@code status} or
 * {@code totalAmount}) are refused by the HTTP mapper before this is built.
 */
record PlaceOrderRequest(@Schema(description = "whose order it is: a customer's token says so (leave it out, or give "
                                 + "the same id); required when a service or an operator places the order")
                         String customerId,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "EUR") String currency,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Line> lines,
                         @Schema(description = "where to deliver; give this or addressVersion, not both")
                         AddressBody deliveryAddress,
                         @Schema(description = "deliver to the customer's shipping address of this version; give "
                                 + "this or deliveryAddress, not both")
                         Long addressVersion) {

    record Line(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String sku,
                @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer quantity,
                @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = "the unit price the customer "
                        + "was shown; when given, the order is refused (409) if the catalogue's price differs. "
                        + MoneyAmounts.DESCRIPTION)
                BigDecimal unitPrice) {
    }

    /**
     * The request as placed by {@code caller}: a customer places orders only for themselves, whatever the body says;
     * a service or an operator for the customer the body names.
     */
    PlaceOrderRequest placedBy(Caller.Identity caller) {
        if (caller.actsForAnyCustomer()) {
            return this;
        }
        if (caller.customer() == null) {
            throw new ForbiddenException("your token names no customer to place the order for");
        }
        String own = caller.customer().value().toString();
        if (customerId != null && !customerId.equals(own)) {
            throw new ForbiddenException("an order is placed for the customer of your token; leave customerId out");
        }
        return new PlaceOrderRequest(own, currency, lines, deliveryAddress, addressVersion);
    }
}
