package io.orderflow.gateway.web;

/**
 * How the OpenAPI document describes a money amount, as the API defines it: a JSON string holding a decimal with at
 * most the currency's minor-unit digits ({@code "19.99"}), never a JSON number. For
 * {@code @Schema(type = "string", pattern = MoneyAmounts.PATTERN, description = MoneyAmounts.DESCRIPTION)}.
 */
public final class MoneyAmounts {

    public static final String PATTERN = "^[0-9]+(\\.[0-9]+)?$";
    public static final String DESCRIPTION = "a money amount: a decimal string with at most the currency's "
            + "minor-unit digits, such as \"19.99\"";

    private MoneyAmounts() {
    }
}
