package io.orderflow.order;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.RequestedLine;
import io.orderflow.order.api.Sku;
import io.orderflow.values.ValueViolation;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

import static io.orderflow.order.OrderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The command and its values refuse what can never be a valid order, before any handler sees it. */
class PlaceOrderCommandTest {

    private static final List<RequestedLine> ONE_LINE = List.of(new RequestedLine(BEANS, 1, null));

    @Test
    void anOrderWithoutLinesIsRefused() {
        ValueViolation violation = violationOf(
                () -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, List.of(), HOME, null));
        assertThat(violation.field()).isEqualTo("lines");
        assertThat(violation).hasMessage("an order needs at least one line");
    }

    @Test
    void anOrderWithTooManyLinesIsRefused() {
        List<RequestedLine> lines = Collections.nCopies(PlaceOrderCommand.MAX_LINES + 1,
                new RequestedLine(BEANS, 1, null));
        assertThat(violationOf(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, lines, HOME, null)))
                .hasMessage("an order has at most 100 lines");
    }

    @Test
    void bothOrNeitherOfAddressAndVersionIsRefused() {
        assertThat(violationOf(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, ONE_LINE, HOME, 3L)).field())
                .isEqualTo("addressVersion");
        assertThat(violationOf(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, ONE_LINE, null, null))
                .field()).isEqualTo("deliveryAddress");
    }

    @Test
    void aNegativeAddressVersionIsRefused() {
        assertThat(violationOf(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, ONE_LINE, null, -1L)))
                .hasMessage("addressVersion must not be negative");
    }

    @Test
    void aMissingCustomerIsRefused() {
        ValueViolation violation = violationOf(
                () -> new PlaceOrderCommand(ORDER_ID, null, EUR, ONE_LINE, HOME, null));
        assertThat(violation.field()).isEqualTo("customerId");
        assertThat(violation).hasMessage("customerId must not be null");
    }

    @Test
    void zeroNegativeOrHugeQuantityIsRefused() {
        assertThat(violationOf(() -> new RequestedLine(BEANS, 0, null)).problem()).isEqualTo("must be at least 1");
        assertThat(violationOf(() -> new RequestedLine(BEANS, -2, null)).field()).isEqualTo("quantity");
        assertThat(violationOf(() -> new RequestedLine(BEANS, RequestedLine.MAX_QUANTITY + 1, null)).problem())
                .isEqualTo("must be at most 10000");
    }

    @Test
    void moneyRefusesMoreFractionDigitsThanTheCurrencyHas() {
        assertThat(violationOf(() -> Money.of("19.999", "EUR")))
                .hasMessage("amount has more than 2 fraction digits for EUR");
        assertThat(violationOf(() -> Money.of("5.5", "JPY")).field()).isEqualTo("amount");
        assertThat(Money.of("19.9", "EUR").amount()).isEqualTo(new BigDecimal("19.90"));
        assertThat(Money.of("19.900", "EUR")).isEqualTo(Money.of("19.90", "EUR"));
    }

    @Test
    void aSkuRefusesWhatIsNoCatalogueCode() {
        assertThat(violationOf(() -> new Sku("SKU 1")))
                .hasMessage("sku must be 1 to 64 letters, digits, '.', '-' or '_'");
    }

    @Test
    void addressRefusesUnknownCountriesAndBlankFields() {
        assertThat(violationOf(() -> new PostalAddress("s", "c", "1", "XX")).field()).isEqualTo("country");
        assertThat(violationOf(() -> new PostalAddress(" ", "c", "1", "DE")).field()).isEqualTo("street");
        assertThat(violationOf(() -> new PostalAddress("a\u0000b", "c", "1", "DE")).field()).isEqualTo("street");
    }

    private static ValueViolation violationOf(ThrowingCallable call) {
        ValueViolation violation = catchThrowableOfType(ValueViolation.class, call);
        assertThat(violation).as("refused with a ValueViolation").isNotNull();
        return violation;
    }
}
