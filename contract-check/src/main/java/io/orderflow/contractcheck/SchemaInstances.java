package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Documents made from a schema, and documents checked against one: how the check runs an old revision through the
 * upcasters and judges what comes out. Covers exactly the schemas {@link EventSchemas} writes, not JSON Schema at
 * large.
 */
final class SchemaInstances {

    /** The timestamp of the sample events, which an upcaster may use to fill a field. */
    static final Instant SAMPLE_TIME = Instant.parse("2020-01-01T00:00:00Z");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaInstances() {
    }

    /**
     * A document that the schema describes, with every property present (optional ones too, so that an upcaster
     * that moves or converts one is exercised).
     */
    static JsonNode sample(JsonNode schema) {
        List<String> values = SchemaNodes.enumValues(schema);
        if (!values.isEmpty()) {
            return NODES.textNode(values.get(0));
        }
        Iterator<String> types = SchemaNodes.nonNullTypes(schema).iterator();
        String type = types.hasNext() ? types.next() : "null";
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").properties()
                        .forEach(property -> object.set(property.getKey(), sample(property.getValue())));
                yield object;
            }
            case "array" -> NODES.arrayNode().add(sample(schema.path("items")));
            case "string" -> NODES.textNode(switch (schema.path("format").asText()) {
                case "uuid" -> "00000000-0000-4000-8000-000000000001";
                case "date-time" -> SAMPLE_TIME.toString();
                case "date" -> "2020-01-01";
                default -> "sample";
            });
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(new BigDecimal("1.5"));
            case "boolean" -> NODES.booleanNode(true);
            default -> NODES.nullNode();
        };
    }

    /** What in {@code document} the schema does not allow, each as {@code path: what is wrong}. */
    static void violations(JsonNode document, JsonNode schema, String path, List<String> violations) {
        Set<String> types = SchemaNodes.types(schema);
        if (document.isNull()) {
            if (!types.contains(SchemaNodes.NULL)) {
                violations.add(path + ": null, but must be " + SchemaNodes.describe(schema));
            }
            return;
        }
        if (types.stream().noneMatch(type -> hasType(document, type))) {
            violations.add(path + ": " + document.getNodeType().name().toLowerCase() + ", but must be "
                    + SchemaNodes.describe(schema));
            return;
        }
        List<String> values = SchemaNodes.enumValues(schema);
        if (!values.isEmpty() && !values.contains(document.asText())) {
            violations.add(path + ": " + document + " is not one of " + values);
        }
        if (document.isArray()) {
            document.forEach(item -> violations(item, schema.path("items"), path + "[]", violations));
        } else if (document.isObject()) {
            JsonNode properties = schema.path("properties");
            for (JsonNode required : schema.path("required")) {
                if (!document.has(required.asText())) {
                    violations.add(path + "." + required.asText() + ": required, but missing");
                }
            }
            document.properties().forEach(field -> {
                if (properties.has(field.getKey())) {
                    violations(field.getValue(), properties.get(field.getKey()), path + "." + field.getKey(),
                            violations);
                }
            });
        }
    }

    private static boolean hasType(JsonNode document, String type) {
        return switch (type) {
            case "object" -> document.isObject();
            case "array" -> document.isArray();
            case "string" -> document.isTextual();
            case "integer" -> document.isIntegralNumber()
                    || document.isNumber() && document.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> document.isNumber();
            case "boolean" -> document.isBoolean();
            default -> false;
        };
    }
}
