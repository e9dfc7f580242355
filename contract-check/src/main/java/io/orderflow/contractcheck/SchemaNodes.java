package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reading the parts of a schema that the check needs; only what {@link EventSchemas} writes. */
final class SchemaNodes {

    static final String NULL = "null";

    private SchemaNodes() {
    }

    /** The JSON types a schema admits, {@code "null"} included when it is nullable. */
    static Set<String> types(JsonNode schema) {
        Set<String> types = new LinkedHashSet<>();
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        return types;
    }

    /** The types without {@code "null"}. */
    static Set<String> nonNullTypes(JsonNode schema) {
        Set<String> types = types(schema);
        types.remove(NULL);
        return types;
    }

    static boolean isNullable(JsonNode schema) {
        return types(schema).contains(NULL);
    }

    /** The allowed values without {@code null}; empty when the schema has no {@code enum}. */
    static List<String> enumValues(JsonNode schema) {
        List<String> values = new ArrayList<>();
        schema.path("enum").forEach(value -> {
            if (!value.isNull()) {
                values.add(value.asText());
            }
        });
        return values;
    }

    static boolean isRequired(JsonNode objectSchema, String property) {
        for (JsonNode required : objectSchema.path("required")) {
            if (required.asText().equals(property)) {
                return true;
            }
        }
        return false;
    }

    /** A type as people say it: {@code number}, {@code string (uuid)}, {@code integer or null}. */
    static String describe(JsonNode schema) {
        String format = schema.path("format").asText();
        return String.join(" or ", nonNullTypes(schema)) + (format.isEmpty() ? "" : " (" + format + ")")
                + (isNullable(schema) ? " or null" : "");
    }
}
