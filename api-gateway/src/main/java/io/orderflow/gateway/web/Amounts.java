package io.orderflow.gateway.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Writes money amounts the way the API promises: a decimal string with exactly the currency's minor-unit digits.
 */
public final class Amounts {

    private Amounts() {
    }

    public static String format(BigDecimal amount, String currencyCode) {
        int digits = Math.max(Currency.getInstance(currencyCode).getDefaultFractionDigits(), 0);
        // Stored amounts never carry more digits than the currency has, so nothing is ever rounded here.
        return amount.setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
    }
}
