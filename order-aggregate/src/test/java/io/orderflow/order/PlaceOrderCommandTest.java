package io.orderflow.order;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.RequestedLine;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

import static io.orderflow.order.OrderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** The command and its values refuse what can never be a valid order, before any handler sees it. */
class PlaceOrderCommandTest {

    @Test
    void anOrderWithoutLinesIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, List.of(), HOME, null))
                .withMessageContaining("at least one line");
    }

    @Test
    void anOrderWithTooManyLinesIsRefused() {
        List<RequestedLine> lines = Collections.nCopies(PlaceOrderCommand.MAX_LINES + 1,
                new RequestedLine(BEANS, 1, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, lines, HOME, null));
    }

    @Test
    void bothOrNeitherOfAddressAndVersionIsRefused() {
        List<RequestedLine> lines = List.of(new RequestedLine(BEANS, 1, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, lines, HOME, 3L));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, lines, null, null));
    }

    @Test
    void aMissingCustomerIsRefused() {
        assertThatNullPointerException()
                .isThrownBy(() -> new PlaceOrderCommand(ORDER_ID, null, EUR,
                        List.of(new RequestedLine(BEANS, 1, null)), HOME, null))
                .withMessage("customerId must not be null");
    }

    @Test
    void zeroOrNegativeQuantityIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestedLine(BEANS, 0, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestedLine(BEANS, -2, null));
    }

    @Test
    void moneyRefusesMoreFractionDigitsThanTheCurrencyHas() {
        assertThatIllegalArgumentException().isThrownBy(() -> Money.of("19.999", "EUR"));
        assertThatIllegalArgumentException().isThrownBy(() -> Money.of("5.5", "JPY"));
        assertThat(Money.of("19.9", "EUR").amount()).isEqualTo(new BigDecimal("19.90"));
        assertThat(Money.of("19.900", "EUR")).isEqualTo(Money.of("19.90", "EUR"));
    }

    @Test
    void addressRefusesUnknownCountriesAndBlankFields() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PostalAddress("s", "c", "1", "XX"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PostalAddress(" ", "c", "1", "DE"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PostalAddress("a\u0000b", "c", "1", "DE"));
    }
}
