package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The differences between a committed schema and the one the class gives now, sorted by the rule of ADR 0005: a
 * purely additive optional property is compatible within a revision; every other difference (a property removed or
 * renamed, a changed type or format, a changed set of allowed values, a property newly required or no longer
 * required) needs a new revision.
 *
 * @param incompatible each as {@code Event.path.to.field: what changed}
 * @param compatible   the additive optional properties, in the same form
 */
record SchemaDiff(List<String> incompatible, List<String> compatible) {

    static SchemaDiff between(String event, JsonNode committed, JsonNode current) {
        SchemaDiff diff = new SchemaDiff(new ArrayList<>(), new ArrayList<>());
        diff.compare(event, committed, current);
        return diff;
    }

    boolean isEmpty() {
        return incompatible.isEmpty() && compatible.isEmpty();
    }

    private void compare(String path, JsonNode before, JsonNode after) {
        if (!SchemaNodes.types(before).equals(SchemaNodes.types(after))
                || !before.path("format").equals(after.path("format"))) {
            incompatible.add(path + ": type " + SchemaNodes.describe(before) + " -> " + SchemaNodes.describe(after));
            return;
        }
        List<String> valuesBefore = SchemaNodes.enumValues(before);
        List<String> valuesAfter = SchemaNodes.enumValues(after);
        if (!valuesBefore.equals(valuesAfter)) {
            // Even an added value breaks a consumer built for the old list: Jackson refuses an unknown constant.
            incompatible.add(path + ": allowed values " + valuesBefore + " -> " + valuesAfter);
        }
        Iterator<String> beforeTypes = SchemaNodes.nonNullTypes(before).iterator();
        String type = beforeTypes.hasNext() ? beforeTypes.next() : "";
        if (type.equals("array")) {
            compare(path + "[]", before.path("items"), after.path("items"));
        } else if (type.equals("object")) {
            compareObjects(path, before, after);
        }
    }

    private void compareObjects(String path, JsonNode before, JsonNode after) {
        if (before.path("additionalProperties").isObject() || after.path("additionalProperties").isObject()) {
            // A map: its values are described once, as additionalProperties.
            compare(path + "{}", before.path("additionalProperties"), after.path("additionalProperties"));
        }
        JsonNode beforeProperties = before.path("properties");
        JsonNode afterProperties = after.path("properties");
        for (var property : beforeProperties.properties()) {
            String name = property.getKey();
            String field = path + "." + name;
            if (!afterProperties.has(name)) {
                incompatible.add(field + ": removed or renamed");
                continue;
            }
            boolean wasRequired = SchemaNodes.isRequired(before, name);
            boolean isRequired = SchemaNodes.isRequired(after, name);
            if (wasRequired == isRequired) {
                compare(field, beforeProperties.get(name), afterProperties.get(name));
                continue;
            }
            // Said once, as a change of requiredness; the nullability that goes with it is not repeated as a type.
            incompatible.add(field + (isRequired ? ": newly required" : ": no longer required (may now be null)"));
            compare(field, withoutNull(beforeProperties.get(name)), withoutNull(afterProperties.get(name)));
        }
        for (var property : afterProperties.properties()) {
            String name = property.getKey();
            if (beforeProperties.has(name)) {
                continue;
            }
            if (SchemaNodes.isRequired(after, name)) {
                incompatible.add(path + "." + name + ": added as required (events already stored do not have it)");
            } else {
                compatible.add(path + "." + name + ": added as optional");
            }
        }
    }

    private static JsonNode withoutNull(JsonNode schema) {
        if (!SchemaNodes.isNullable(schema)) {
            return schema;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        ArrayNode types = copy.arrayNode();
        SchemaNodes.nonNullTypes(schema).forEach(types::add);
        copy.set("type", types.size() == 1 ? types.get(0) : types);
        if (copy.has("enum")) {
            ArrayNode values = copy.arrayNode();
            copy.get("enum").forEach(value -> {
                if (!value.isNull()) {
                    values.add(value);
                }
            });
            copy.set("enum", values);
        }
        return copy;
    }
}
