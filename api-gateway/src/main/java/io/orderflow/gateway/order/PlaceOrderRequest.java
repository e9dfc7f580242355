package io.orderflow.gateway.order;

import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.gateway.web.MoneyAmounts;
import io.orderflow.gateway.web.AddressBody;

import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /api/orders}, exactly as the client sent it. Unknown fields (such as {@code status} or
 * {@code totalAmount}) are refused by the HTTP mapper before this is built.
 */
record PlaceOrderRequest(String customerId, String currency, List<Line> lines, AddressBody deliveryAddress,
                         Long addressVersion) {

    record Line(String sku, Integer quantity, @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)
                BigDecimal unitPrice) {
    }
}
