package io.orderflow.gateway.order;

import io.orderflow.gateway.web.AddressBody;
import io.orderflow.gateway.web.FieldError;
import io.orderflow.gateway.web.InvalidRequestException;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.PlaceOrderCommand;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OrderRequestsTest {

    private static final OrderId ORDER_ID = new OrderId(UUID.randomUUID());
    private static final String CUSTOMER = "0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b";
    private static final AddressBody HOME =
            new AddressBody("Hauptstrasse 1", "Berlin", "10115", "DE");

    @Test
    void aCompleteRequestBecomesACommand() {
        PlaceOrderCommand command = OrderRequests.toCommand(ORDER_ID, new PlaceOrderRequest(CUSTOMER, "EUR",
                List.of(new PlaceOrderRequest.Line("SKU-1", 2, new BigDecimal("19.99"))), HOME, null));

        assertThat(command.orderId()).isEqualTo(ORDER_ID);
        assertThat(command.customerId().toString()).isEqualTo(CUSTOMER);
        assertThat(command.lines()).singleElement().satisfies(line -> {
            assertThat(line.sku().value()).isEqualTo("SKU-1");
            assertThat(line.quantity()).isEqualTo(2);
        });
        assertThat(command.deliveryAddress().country()).isEqualTo("DE");
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        PlaceOrderRequest request = new PlaceOrderRequest("not-a-uuid", "EURO",
                List.of(new PlaceOrderRequest.Line("SKU-1", 0, null),
                        new PlaceOrderRequest.Line(null, 1, new BigDecimal("-1"))),
                new AddressBody("Hauptstrasse 1", "Berlin", "10115", "XX"), null);

        assertThat(fieldsOf(request)).containsExactlyInAnyOrder(
                "customerId", "currency", "lines[0].quantity", "lines[1].sku", "deliveryAddress.country");
    }

    @Test
    void overPreciseAndNegativeShownPricesAreRefused() {
        assertThat(fieldsOf(new PlaceOrderRequest(CUSTOMER, "EUR",
                List.of(new PlaceOrderRequest.Line("SKU-1", 1, new BigDecimal("19.999")),
                        new PlaceOrderRequest.Line("SKU-2", 1, new BigDecimal("-0.01"))), HOME, null)))
                .containsExactly("lines[0].unitPrice", "lines[1].unitPrice");
    }

    @Test
    void missingFieldsAreNamed() {
        assertThat(fieldsOf(new PlaceOrderRequest(null, null, null, null, null)))
                .containsExactlyInAnyOrder("customerId", "currency", "lines", "deliveryAddress");
        assertThat(fieldsOf(new PlaceOrderRequest(CUSTOMER, "EUR", List.of(), HOME, null)))
                .containsExactly("lines");
    }

    @Test
    void addressAndVersionTogetherAreRefused() {
        assertThat(fieldsOf(new PlaceOrderRequest(CUSTOMER, "EUR",
                List.of(new PlaceOrderRequest.Line("SKU-1", 1, null)), HOME, 3L)))
                .containsExactly("addressVersion");
    }

    @Test
    void unknownCurrencyAndShortUuidFormsAreRefused() {
        assertThat(fieldsOf(new PlaceOrderRequest("1-1-1-1-1", "ZZZ",
                List.of(new PlaceOrderRequest.Line("SKU-1", 1, null)), HOME, null)))
                .containsExactlyInAnyOrder("customerId", "currency");
    }

    @Test
    void eachRefusalIsAnsweredWithTheFieldAndTheWordsTheApiHasAlwaysUsed() {
        List<PlaceOrderRequest.Line> one = List.of(new PlaceOrderRequest.Line("SKU-1", 1, null));
        assertThat(errorsOf(new PlaceOrderRequest(CUSTOMER, "EUR", List.of(
                new PlaceOrderRequest.Line("SKU-1", 0, null),
                new PlaceOrderRequest.Line("SKU-1", 10_001, null),
                new PlaceOrderRequest.Line("SKU 1", 1, new BigDecimal("19.999"))),
                new AddressBody(" ", "Berlin", "10115", "XX"), null))).containsExactly(
                new FieldError("lines[0].quantity", "must be at least 1"),
                new FieldError("lines[1].quantity", "must be at most 10000"),
                new FieldError("lines[2].sku", "sku must be 1 to 64 letters, digits, '.', '-' or '_'"),
                new FieldError("lines[2].unitPrice", "amount has more than 2 fraction digits for EUR"),
                new FieldError("deliveryAddress.street", "must not be blank"));
        assertThat(errorsOf(new PlaceOrderRequest(CUSTOMER, "EUR", one,
                new AddressBody("Hauptstrasse 1", "Berlin", "10115", "XX"), null)))
                .containsExactly(new FieldError("deliveryAddress.country",
                        "must be an ISO-3166 alpha-2 code such as DE"));
        assertThat(errorsOf(new PlaceOrderRequest(CUSTOMER, "EUR", List.of(), null, -1L))).containsExactly(
                new FieldError("lines", "an order needs at least one line"),
                new FieldError("addressVersion", "must not be negative"));
        assertThat(errorsOf(new PlaceOrderRequest(CUSTOMER, "EUR",
                Collections.nCopies(101, one.get(0)), HOME, null)))
                .containsExactly(new FieldError("lines", "an order has at most 100 lines"));
    }

    private static List<FieldError> errorsOf(PlaceOrderRequest request) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> OrderRequests.toCommand(ORDER_ID, request));
        assertThat(e).as("request should be refused").isNotNull();
        return e.errors();
    }

    private static List<String> fieldsOf(PlaceOrderRequest request) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> OrderRequests.toCommand(ORDER_ID, request));
        assertThat(e).as("request should be refused").isNotNull();
        return e.errors().stream().map(FieldError::field).toList();
    }
}
