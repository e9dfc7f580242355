package io.orderflow.order.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.orderflow.values.Required;

import java.util.UUID;

/**
 * Identifies one order. Server-generated; serialized as the bare UUID string.
 */
public record OrderId(@JsonValue UUID value) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public OrderId {
        Required.nonNull("orderId", value);
    }

    public static OrderId of(String value) {
        return new OrderId(UUID.fromString(value));
    }

    /** Axon routes commands by the identifier's {@code toString()}, so it must be the bare UUID. */
    @Override
    public String toString() {
        return value.toString();
    }
}
