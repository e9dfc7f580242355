package io.orderflow.gateway.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.gateway.contracts.PublishedContracts.ServedContract;
import io.orderflow.topics.CloudEventHeaders;
import io.orderflow.topics.TopicDefinition;
import io.orderflow.topics.Topics;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The AsyncAPI 3.0 document of every orderflow topic, made from the code at start-up: each topic of {@link Topics}
 * (its key, partitions and cleanup), the events it carries (every committed revision, with its JSON Schema) and the
 * headers every record has (CloudEvents in binary mode, W3C {@code traceparent}, Axon's own). It says what a team
 * needs to read the topics without orderflow's code; {@code docs/asyncapi.json} is the committed copy.
 */
@Component
class AsyncApiDocument {

    static final String KAFKA_BINDING_VERSION = "0.5.0";
    /** The schemas are JSON Schema 2020-12 documents, as committed. */
    static final String SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12";

    private final ObjectNode document;

    AsyncApiDocument(PublishedContracts contracts) {
        this.document = build(contracts.all(), Topics.forCluster(1));
    }

    JsonNode document() {
        return document;
    }

    static ObjectNode build(List<ServedContract> contracts, List<TopicDefinition> topics) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("asyncapi", "3.0.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "orderflow events");
        info.put("version", "1");
        info.put("description", "Every Kafka topic orderflow writes, the events each carries and their JSON Schemas. "
                + "Each record's value is the event as JSON; its headers make it a CloudEvent in binary mode "
                + "(ce_type names the event class and revision, ce_dataschema where its schema is) and carry a W3C "
                + "traceparent. Records of a key stay in order on one partition.");
        root.put("defaultContentType", "application/json");
        ObjectNode channels = root.putObject("channels");
        ObjectNode operations = root.putObject("operations");
        ObjectNode components = root.putObject("components");
        ObjectNode messages = components.putObject("messages");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("RecordHeaders", headers(json));

        for (TopicDefinition topic : topics) {
            String channelId = topic.name().replace('.', '-');
            ObjectNode channel = channels.putObject(channelId);
            channel.put("address", topic.name());
            channel.put("description", "Keyed by " + topic.keyedBy() + ". Keeps " + topic.retention() + ".");
            ObjectNode channelMessages = channel.putObject("messages");
            ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
            kafka.put("topic", topic.name());
            kafka.put("partitions", topic.partitions());
            ObjectNode topicConfiguration = kafka.putObject("topicConfiguration");
            topicConfiguration.putArray("cleanup.policy").add(topic.configs().getOrDefault("cleanup.policy",
                    "delete"));
            if (topic.configs().containsKey("retention.ms")) {
                topicConfiguration.put("retention.ms", Long.parseLong(topic.configs().get("retention.ms")));
            }
            kafka.put("bindingVersion", KAFKA_BINDING_VERSION);

            ObjectNode operation = operations.putObject("publish-" + channelId);
            operation.put("action", "send");
            operation.put("summary", "orderflow writes " + topic.name());
            operation.putObject("channel").put("$ref", "#/channels/" + channelId);
            ArrayNode operationMessages = operation.putArray("messages");

            for (ServedContract contract : contracts) {
                if (!topic.name().equals(contract.topic())) {
                    continue;
                }
                String messageId = contract.event() + "-v" + contract.revision();
                channelMessages.putObject(messageId).put("$ref", "#/components/messages/" + messageId);
                operationMessages.addObject().put("$ref", "#/channels/" + channelId + "/messages/" + messageId);
                messages.set(messageId, message(json, contract, topic));
                ObjectNode payload = json.createObjectNode();
                payload.put("schemaFormat", SCHEMA_FORMAT);
                payload.set("schema", contract.schema());
                schemas.set(messageId, payload);
            }
        }
        return root;
    }

    private static ObjectNode message(ObjectMapper json, ServedContract contract, TopicDefinition topic) {
        ObjectNode message = json.createObjectNode();
        message.put("name", contract.event());
        message.put("title", contract.event() + " revision " + contract.revision());
        message.put("summary", "ce_type " + contract.type() + ".v" + contract.revision());
        message.put("contentType", "application/json");
        message.putObject("headers").put("$ref", "#/components/schemas/RecordHeaders");
        message.putObject("payload").put("$ref", "#/components/schemas/" + contract.event() + "-v"
                + contract.revision());
        ObjectNode kafka = message.putObject("bindings").putObject("kafka");
        ObjectNode key = kafka.putObject("key");
        key.put("type", "string");
        key.put("description", "the " + topic.keyedBy());
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
        return message;
    }

    private static ObjectNode headers(ObjectMapper json) {
        ObjectNode schema = json.createObjectNode();
        schema.put("type", "object");
        schema.put("description", "Every record's headers, as UTF-8 text unless said otherwise.");
        ObjectNode properties = schema.putObject("properties");
        text(properties, CloudEventHeaders.SPECVERSION, "CloudEvents spec version, 1.0").put("const",
                CloudEventHeaders.SPEC_VERSION);
        text(properties, CloudEventHeaders.ID, "the event's id; a record delivered again has the same");
        text(properties, CloudEventHeaders.SOURCE, "the context that owns the event, such as /orderflow/order")
                .put("format", "uri-reference");
        text(properties, CloudEventHeaders.TYPE, "the event class and its revision, such as "
                + "io.orderflow.order.api.OrderAcceptedEvent.v2");
        text(properties, CloudEventHeaders.TIME, "when the event happened (RFC 3339)").put("format", "date-time");
        text(properties, CloudEventHeaders.SUBJECT, "what it is about: the record's key");
        text(properties, CloudEventHeaders.DATASCHEMA, "where the revision's JSON Schema is").put("format", "uri");
        text(properties, CloudEventHeaders.CONTENT_TYPE, "application/json");
        text(properties, CloudEventHeaders.TRACEPARENT, "W3C Trace Context: the trace of the request that caused "
                + "the event").put("pattern", "^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$");
        text(properties, "axon-message-id", "Axon's id of the event (the same as ce_id)");
        text(properties, "axon-message-type", "Axon's type: the event class");
        text(properties, "axon-message-revision", "Axon's revision of the event class");
        properties.putObject("axon-message-timestamp").put("description",
                "when the event happened: milliseconds since the epoch, 8 bytes big-endian");
        text(properties, "axon-metadata-traceId", "orderflow's trace id (the API's X-Trace-Id)");
        schema.putArray("required").add(CloudEventHeaders.SPECVERSION).add(CloudEventHeaders.ID)
                .add(CloudEventHeaders.SOURCE).add(CloudEventHeaders.TYPE).add(CloudEventHeaders.TRACEPARENT);
        return schema;
    }

    private static ObjectNode text(ObjectNode properties, String name, String description) {
        ObjectNode property = properties.putObject(name);
        property.put("type", "string");
        property.put("description", description);
        return property;
    }
}
