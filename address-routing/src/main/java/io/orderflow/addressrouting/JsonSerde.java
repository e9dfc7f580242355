package io.orderflow.addressrouting;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

/** A type as JSON, for the router's state store. */
final class JsonSerde<T> implements Serde<T> {

    private final ObjectMapper json;
    private final Class<T> type;

    JsonSerde(ObjectMapper json, Class<T> type) {
        this.json = json;
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            try {
                return value == null ? null : json.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("could not write a " + type.getSimpleName() + " as JSON", e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            try {
                return bytes == null ? null : json.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("could not read a " + type.getSimpleName() + " from JSON", e);
            }
        };
    }
}
