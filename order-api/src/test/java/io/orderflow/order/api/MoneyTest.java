package io.orderflow.order.api;

import io.orderflow.values.ValueViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Test
    void anAmountIsKeptAtTheCurrencysScale() {
        assertThat(new Money(new BigDecimal("19.9"), EUR).amount()).isEqualTo(new BigDecimal("19.90"));
        assertThat(new Money(new BigDecimal("1E+2"), EUR).amount()).isEqualTo(new BigDecimal("100.00"));
    }

    @Test
    void fifteenIntegerDigitsAreTheMost() {
        assertThat(new Money(new BigDecimal("999999999999999.99"), EUR).amount().precision()).isEqualTo(17);
        assertThatThrownBy(() -> new Money(new BigDecimal("1000000000000000"), EUR))
                .isInstanceOf(ValueViolation.class).hasMessage("amount has more than 15 integer digits");
    }

    /**
     * Each of these is a few bytes of JSON; expanded to the currency's scale, the first would take minutes of CPU
     * and hundreds of MB (scaling 1e500000000 computes 10^500000002). They are refused from their digits alone; the
     * timeout only keeps a regression from hanging the build.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1e500000000", "-1e500000000", "1e2147483647", "9.99e17", "1e-500000000",
            "1e-2147483647"})
    @Timeout(10)
    void hugeExponentsAreRefusedFromTheirDigits(String amount) {
        assertThatThrownBy(() -> new Money(new BigDecimal(amount), EUR)).isInstanceOf(ValueViolation.class)
                .hasMessageStartingWith("amount has more than");
    }

    @Test
    void moreFractionDigitsThanTheCurrencyHasAreRefused() {
        assertThatThrownBy(() -> new Money(new BigDecimal("19.999"), EUR)).isInstanceOf(ValueViolation.class)
                .hasMessage("amount has more than 2 fraction digits for EUR");
        assertThat(new Money(new BigDecimal("19.9900000"), EUR).amount()).isEqualTo(new BigDecimal("19.99"));
        assertThatThrownBy(() -> new Money(new BigDecimal("5.5"), Currency.getInstance("JPY")))
                .isInstanceOf(ValueViolation.class).hasMessage("amount has more than 0 fraction digits for JPY");
    }
}
