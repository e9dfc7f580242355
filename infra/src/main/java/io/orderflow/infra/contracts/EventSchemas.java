package io.orderflow.infra.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.Revision;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Currency;
import java.util.UUID;

/**
 * Derives the JSON Schema (draft 2020-12) of an event record from its class: what the Jackson serializer writes for
 * it. A component is required unless it is annotated {@code @Nullable}; consumers must ignore unknown properties,
 * so every object allows additional ones.
 */
public final class EventSchemas {

    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemas() {
    }

    /** The schema of {@code eventClass} at its current {@code @Revision}. */
    public static ObjectNode schemaFor(Class<?> eventClass) {
        Revision revision = eventClass.getAnnotation(Revision.class);
        if (!eventClass.isRecord() || revision == null) {
            throw new IllegalArgumentException(eventClass.getName() + " is not a record annotated with @Revision");
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", DRAFT);
        schema.put("title", eventClass.getSimpleName());
        schema.put("x-event-type", eventClass.getName());
        schema.put("x-revision", revision.value());
        schema.setAll(objectSchema(eventClass));
        return schema;
    }

    private static ObjectNode objectSchema(Class<?> recordClass) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (RecordComponent component : recordClass.getRecordComponents()) {
            properties.set(component.getName(), typeSchema(component.getGenericType()));
            if (!isNullable(component)) {
                required.add(component.getName());
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", true);
        return schema;
    }

    private static boolean isNullable(RecordComponent component) {
        if (component.getType().isPrimitive()) {
            return false;
        }
        for (var annotation : component.getAnnotations()) {
            if (annotation.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode typeSchema(Type type) {
        ObjectNode schema = JSON.createObjectNode();
        if (type instanceof ParameterizedType parameterized
                && parameterized.getRawType() instanceof Class<?> raw && Collection.class.isAssignableFrom(raw)) {
            schema.put("type", "array");
            schema.set("items", typeSchema(parameterized.getActualTypeArguments()[0]));
            return schema;
        }
        if (!(type instanceof Class<?> cls)) {
            throw new IllegalArgumentException("cannot describe type " + type + " in an event contract");
        }
        if (cls == String.class || cls == Currency.class) {
            schema.put("type", "string");
        } else if (cls == UUID.class) {
            schema.put("type", "string").put("format", "uuid");
        } else if (cls == Instant.class) {
            schema.put("type", "string").put("format", "date-time");
        } else if (cls == LocalDate.class) {
            schema.put("type", "string").put("format", "date");
        } else if (cls == int.class || cls == Integer.class || cls == long.class || cls == Long.class
                || cls == BigInteger.class) {
            schema.put("type", "integer");
        } else if (cls == BigDecimal.class || cls == double.class || cls == Double.class) {
            schema.put("type", "number");
        } else if (cls == boolean.class || cls == Boolean.class) {
            schema.put("type", "boolean");
        } else if (cls.isEnum()) {
            schema.put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : cls.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
        } else if (cls.isRecord() && singleValue(cls) != null) {
            // A typed value such as OrderId is written as its one component (@JsonValue).
            return typeSchema(singleValue(cls).getGenericType());
        } else if (cls.isRecord()) {
            return objectSchema(cls);
        } else {
            throw new IllegalArgumentException("cannot describe " + cls.getName() + " in an event contract");
        }
        return schema;
    }

    private static RecordComponent singleValue(Class<?> recordClass) {
        RecordComponent[] components = recordClass.getRecordComponents();
        if (components.length == 1 && components[0].getAccessor().isAnnotationPresent(JsonValue.class)) {
            return components[0];
        }
        if (components.length == 1 && components[0].isAnnotationPresent(JsonValue.class)) {
            return components[0];
        }
        return null;
    }
}
