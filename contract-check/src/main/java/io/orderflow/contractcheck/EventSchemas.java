package io.orderflow.contractcheck;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.Revision;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Derives the JSON Schema (draft 2020-12) of an event record from its class: the document that orderflow's Jackson
 * serializer writes for it, in the store and on Kafka.
 *
 * <ul>
 *     <li>Each record component is a property. It is required, unless it is annotated {@code @Nullable} (any
 *     annotation of that simple name); an optional property may be {@code null}, because the serializer writes
 *     nulls.</li>
 *     <li>Text and {@link Currency} are strings; {@link UUID}, {@link Instant}, {@link OffsetDateTime} and
 *     {@link LocalDate} are strings with a format; {@code int}, {@code long} and {@link BigInteger} are integers;
 *     {@link BigDecimal} and {@code double} are numbers; enums are strings with their constants as the allowed
 *     values; collections are arrays; maps with text keys are objects; records are objects; a record whose single
 *     component is annotated {@code @JsonValue} (such as {@code OrderId}) is written as that component.</li>
 *     <li>Every object allows additional properties: consumers ignore fields they do not know, which is what lets a
 *     consumer built for an older revision read a newer one.</li>
 * </ul>
 *
 * Anything else is refused with the path of the property, rather than described vaguely: a contract that says
 * less than the payload is no contract.
 */
public final class EventSchemas {

    /** The JSON Schema dialect of every contract. */
    public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemas() {
    }

    /** Whether {@code type} is an event in the sense of the contracts: a record annotated {@code @Revision}. */
    public static boolean isEvent(Class<?> type) {
        return type.isRecord() && type.isAnnotationPresent(Revision.class);
    }

    /** The {@code @Revision} of an event class. */
    public static String revisionOf(Class<?> eventClass) {
        Revision revision = eventClass.getAnnotation(Revision.class);
        if (revision == null) {
            throw new IllegalArgumentException(eventClass.getName() + " has no @Revision");
        }
        return revision.value();
    }

    /**
     * The schema of {@code eventClass} at its current {@code @Revision}.
     *
     * @throws IllegalArgumentException if the class is not an event, or a property has a type this generator does
     *                                  not describe (the message names the property)
     */
    public static ObjectNode schemaFor(Class<?> eventClass) {
        if (!isEvent(eventClass)) {
            throw new IllegalArgumentException(eventClass.getName() + " is not a record annotated with @Revision");
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", DRAFT);
        schema.put("title", eventClass.getSimpleName());
        schema.put("x-event-type", eventClass.getName());
        schema.put("x-revision", revisionOf(eventClass));
        schema.setAll(objectSchema(eventClass, eventClass.getSimpleName()));
        return schema;
    }

    private static ObjectNode objectSchema(Class<?> recordClass, String path) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (RecordComponent component : recordClass.getRecordComponents()) {
            if (isAnnotated(component, JsonIgnore.class)) {
                continue;
            }
            String name = propertyName(component);
            boolean optional = isNullable(component);
            properties.set(name, typeSchema(component.getGenericType(), optional, path + "." + name));
            if (!optional) {
                required.add(name);
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", true);
        return schema;
    }

    private static ObjectNode typeSchema(Type type, boolean nullable, String path) {
        ObjectNode schema = nonNullSchema(type, path);
        if (nullable) {
            // A null is written as null, so the schema must admit it, both as a type and as an allowed value.
            schema.set("type", JSON.createArrayNode().add(schema.get("type").asText()).add("null"));
            if (schema.has("enum")) {
                ((ArrayNode) schema.get("enum")).addNull();
            }
        }
        return schema;
    }

    private static ObjectNode nonNullSchema(Type type, String path) {
        ObjectNode schema = JSON.createObjectNode();
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                schema.put("type", "array");
                schema.set("items", typeSchema(arguments[0], false, path + "[]"));
                return schema;
            }
            if (Map.class.isAssignableFrom(raw) && arguments[0] == String.class) {
                schema.put("type", "object");
                schema.set("additionalProperties", typeSchema(arguments[1], false, path + "{}"));
                return schema;
            }
        }
        if (!(type instanceof Class<?> cls)) {
            throw unsupported(path, type);
        }
        if (cls == String.class || cls == Currency.class) {
            schema.put("type", "string");
        } else if (cls == UUID.class) {
            schema.put("type", "string").put("format", "uuid");
        } else if (cls == Instant.class || cls == OffsetDateTime.class) {
            schema.put("type", "string").put("format", "date-time");
        } else if (cls == LocalDate.class) {
            schema.put("type", "string").put("format", "date");
        } else if (cls == int.class || cls == Integer.class || cls == long.class || cls == Long.class
                || cls == short.class || cls == Short.class || cls == BigInteger.class) {
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
            // A typed value such as OrderId is written as its one component (@JsonValue), not as an object.
            return nonNullSchema(singleValue(cls).getGenericType(), path);
        } else if (cls.isRecord()) {
            return objectSchema(cls, path);
        } else {
            throw unsupported(path, cls);
        }
        return schema;
    }

    private static IllegalArgumentException unsupported(String path, Type type) {
        return new IllegalArgumentException(path + ": " + type.getTypeName() + " is not a type the contract "
                + "generator knows (text, UUIDs, numbers, booleans, instants, dates, enums, collections, maps with "
                + "text keys, records and single-value records). Use one of these, or describe the new type in "
                + EventSchemas.class.getName() + ".");
    }

    private static RecordComponent singleValue(Class<?> recordClass) {
        RecordComponent[] components = recordClass.getRecordComponents();
        return components.length == 1 && isAnnotated(components[0], JsonValue.class) ? components[0] : null;
    }

    private static String propertyName(RecordComponent component) {
        for (AnnotatedElement element : declarations(component)) {
            JsonProperty property = element.getAnnotation(JsonProperty.class);
            if (property != null && !property.value().isEmpty()) {
                return property.value();
            }
        }
        return component.getName();
    }

    private static boolean isNullable(RecordComponent component) {
        if (component.getType().isPrimitive()) {
            return false;
        }
        // Declaration annotations land on the component, its field or its accessor depending on their @Target;
        // type-use ones (JSpecify) on the component's type.
        List<AnnotatedElement> elements = new ArrayList<>(declarations(component));
        elements.add(component.getAnnotatedType());
        for (AnnotatedElement element : elements) {
            for (Annotation annotation : element.getAnnotations()) {
                if (annotation.annotationType().getSimpleName().equals("Nullable")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isAnnotated(RecordComponent component, Class<? extends Annotation> annotation) {
        return declarations(component).stream().anyMatch(element -> element.isAnnotationPresent(annotation));
    }

    private static List<AnnotatedElement> declarations(RecordComponent component) {
        List<AnnotatedElement> elements = new ArrayList<>(List.of(component, component.getAccessor()));
        try {
            Field field = component.getDeclaringRecord().getDeclaredField(component.getName());
            elements.add(field);
        } catch (NoSuchFieldException e) {
            // Every record component has its field; nothing to add if a future JDK says otherwise.
        }
        return elements;
    }
}
