package io.orderflow.order.api;

import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An amount in one currency. It never holds more fraction digits than the currency's minor unit
 * (two for EUR, none for JPY), so that what is charged is exactly what is shown, and never more than
 * {@value #MAX_INTEGER_DIGITS} integer digits, what the database's {@code NUMERIC(19, 4)} and payment providers hold.
 * Both bounds are checked on the digits as given, before any arithmetic: an amount such as {@code 1e500000000} is
 * refused at once instead of being expanded.
 */
public record Money(BigDecimal amount, Currency currency) {

    public static final int MAX_INTEGER_DIGITS = 15;

    public Money {
        Required.nonNull("amount", amount);
        Required.nonNull("currency", currency);
        int minorDigits = Math.max(currency.getDefaultFractionDigits(), 0);
        // precision() - scale() is the number of integer digits, read from the representation without expanding it.
        if ((long) amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
            throw new ValueViolation("amount", "has more than " + MAX_INTEGER_DIGITS + " integer digits");
        }
        if (amount.scale() > minorDigits && amount.stripTrailingZeros().scale() > minorDigits) {
            throw new ValueViolation("amount", "has more than " + minorDigits + " fraction digits for "
                    + currency.getCurrencyCode());
        }
        // One canonical scale per currency keeps equals() and the stored JSON stable: 19.9 EUR is 19.90 EUR.
        amount = amount.setScale(minorDigits);
    }

    public static Money of(String amount, String currencyCode) {
        return new Money(new BigDecimal(amount), Currency.getInstance(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money times(int quantity) {
        return new Money(amount.multiply(BigDecimal.valueOf(quantity)), currency);
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException(
                    "cannot add " + other.currency.getCurrencyCode() + " to " + currency.getCurrencyCode());
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
