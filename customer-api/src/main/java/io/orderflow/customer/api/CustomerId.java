package io.orderflow.customer.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies a customer profile. Server-generated; serialized as the bare UUID string.
 */
public record CustomerId(@JsonValue UUID value) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public CustomerId {
        Objects.requireNonNull(value, "customerId must not be null");
    }

    /** Axon routes commands by the identifier's {@code toString()}, so it must be the bare UUID. */
    @Override
    public String toString() {
        return value.toString();
    }
}
