package io.orderflow.gateway.order;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.RequestedLine;
import io.orderflow.order.api.Sku;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads an order request into a {@link PlaceOrderCommand}, reporting every bad field by its JSON path.
 */
final class OrderRequests {

    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    private OrderRequests() {
    }

    static PlaceOrderCommand toCommand(OrderId orderId, PlaceOrderRequest request) {
        RequestFields fields = new RequestFields();
        fields.requireBody(request);
        CustomerId customerId = fields.require("customerId", request.customerId())
                ? fields.read("customerId", () -> new CustomerId(uuid(request.customerId()))) : null;
        Currency currency = fields.require("currency", request.currency())
                ? fields.read("currency", () -> currency(request.currency())) : null;
        List<RequestedLine> lines = lines(request.lines(), currency, fields);
        PostalAddress address = request.deliveryAddress() == null ? null
                : request.deliveryAddress().read("deliveryAddress", fields);
        if (request.deliveryAddress() == null && request.addressVersion() == null) {
            fields.reject("deliveryAddress", "give either deliveryAddress or addressVersion");
        } else if (request.deliveryAddress() != null && request.addressVersion() != null) {
            fields.reject("addressVersion", "give either deliveryAddress or addressVersion, not both");
        } else if (request.addressVersion() != null) {
            fields.readValue("", () -> PlaceOrderCommand.validAddressVersion(request.addressVersion()));
        }
        fields.throwIfInvalid();
        return new PlaceOrderCommand(orderId, customerId, currency, lines, address, request.addressVersion());
    }

    private static List<RequestedLine> lines(List<PlaceOrderRequest.Line> lines, Currency currency,
                                             RequestFields fields) {
        // The number of lines is checked before any line is read: ten thousand lines are refused unread.
        if (!fields.require("lines", lines)
                || fields.readValue("", () -> PlaceOrderCommand.validLineCount(lines.size())) == null) {
            return List.of();
        }
        List<RequestedLine> read = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String at = "lines[" + i + "]";
            PlaceOrderRequest.Line line = lines.get(i);
            if (line == null) {
                fields.reject(at, "must be an object");
                continue;
            }
            Sku sku = fields.require(at + ".sku", line.sku()) ? fields.read(at + ".sku", () -> new Sku(line.sku()))
                    : null;
            Integer quantity = fields.require(at + ".quantity", line.quantity())
                    ? fields.readValue(at, () -> RequestedLine.validQuantity(line.quantity())) : null;
            BigDecimal shownPrice = line.unitPrice();
            if (shownPrice != null && currency != null) {
                fields.read(at + ".unitPrice", () -> shownPrice(shownPrice, currency));
            }
            if (sku != null && quantity != null && !fields.hasErrors()) {
                read.add(new RequestedLine(sku, quantity, shownPrice));
            }
        }
        return read;
    }

    private static Money shownPrice(BigDecimal amount, Currency currency) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return new Money(amount, currency);
    }

    static UUID uuid(String value) {
        try {
            UUID uuid = UUID.fromString(value);
            // UUID.fromString accepts shortened forms such as "1-1-1-1-1"; only the canonical form is an id here.
            if (!uuid.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException();
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a UUID", e);
        }
    }

    private static Currency currency(String code) {
        if (!CURRENCY_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("must be an ISO-4217 code such as EUR");
        }
        try {
            return Currency.getInstance(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not an ISO-4217 currency code", e);
        }
    }
}
