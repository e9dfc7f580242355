package io.orderflow.order.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.util.regex.Pattern;

/**
 * A stock-keeping unit code of the catalogue: 1 to 64 letters, digits, dots, dashes or underscores.
 */
public record Sku(@JsonValue String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Sku {
        Required.nonNull("sku", value);
        if (!FORMAT.matcher(value).matches()) {
            throw new ValueViolation("sku", "must be 1 to 64 letters, digits, '.', '-' or '_'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
