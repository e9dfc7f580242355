package io.orderflow.addressrouting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import io.orderflow.topics.CloudEventHeaders;
import io.orderflow.values.PersonalData;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.axonframework.serialization.Revision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Routes each customer event by the kind of address it is about. A registration and an address change each make a
 * new profile version: the router keeps, per customer, the newest version it has routed and both addresses as of it,
 * and sends each kind's address with that version to the kind's topic (the unchanged one too, so that every version
 * is reached on both topics). An event whose version is not newer than the customer's routed version is stale (a
 * late or repeated delivery) and is dropped. Records of other types are for other consumers: passed nowhere, and
 * counted, as are records that cannot be read.
 *
 * <p>The records written are read by the consumers' Axon Kafka sources, so they carry Axon's message headers: an id
 * derived from the input record's id and the kind (the same input always gives the same ids), the event's type and
 * revision, the input's timestamp, and the input's metadata headers (trace and correlation ids).
 */
final class RouteByKind implements Processor<String, byte[], String, byte[]> {

    static final String MESSAGE_ID = "axon-message-id";
    static final String MESSAGE_TYPE = "axon-message-type";
    static final String MESSAGE_REVISION = "axon-message-revision";
    static final String MESSAGE_TIMESTAMP = "axon-message-timestamp";
    static final String METADATA_PREFIX = "axon-metadata-";

    private static final Logger LOG = LoggerFactory.getLogger(RouteByKind.class);

    static final String TRACE_ID = METADATA_PREFIX + "traceId";

    private final ObjectMapper json;
    private final String contractsUrl;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, CustomerAddresses> store;
    private Sensor routed;
    private Sensor stale;
    private Sensor unknown;
    private Sensor unreadable;

    /** @param contractsUrl where the event contracts are served: each record's {@code ce_dataschema} points there */
    RouteByKind(ObjectMapper json, String contractsUrl) {
        this.json = json;
        this.contractsUrl = contractsUrl;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(AddressRouting.STORE);
        routed = sensor("routed");
        stale = sensor("stale");
        unknown = sensor("unknown");
        unreadable = sensor("unreadable");
    }

    private Sensor sensor(String what) {
        return context.metrics().addRateTotalSensor(AddressRouting.METRICS_SCOPE, context.taskId().toString(), what,
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String type = text(record.headers(), MESSAGE_TYPE);
        try {
            if (CustomerRegisteredEvent.class.getName().equals(type)
                    && isRevision(record, CustomerRegisteredEvent.class)) {
                JsonNode event = json.readTree(record.value());
                long version = required(event, "version").asLong();
                route(record, customerOf(event), version, previous -> new CustomerAddresses(version,
                        required(event, "shippingAddress"), required(event, "billingAddress")));
            } else if (AddressChangedEvent.class.getName().equals(type)
                    && isRevision(record, AddressChangedEvent.class)) {
                JsonNode event = json.readTree(record.value());
                long version = required(event, "version").asLong();
                AddressKind kind = AddressKind.valueOf(required(event, "kind").asText());
                JsonNode address = required(event, "address");
                route(record, customerOf(event), version, previous -> (previous == null
                        ? new CustomerAddresses(version, null, null) : previous).with(kind, address, version));
            } else if (CustomerErasedEvent.class.getName().equals(type)
                    && isRevision(record, CustomerErasedEvent.class)) {
                // Every consumer of the address topics overwrites its copy with the erased address, and the topics'
                // latest record per customer (what compaction keeps) holds nothing personal.
                JsonNode event = json.readTree(record.value());
                long version = required(event, "version").asLong();
                route(record, customerOf(event), version, previous -> previous == null ? null
                        : new CustomerAddresses(version, erased(previous.shipping()), erased(previous.billing())));
            } else {
                unknown.record();
                LOG.debug("Not an address event, routed nowhere: {} at {}", type, where());
            }
        } catch (IOException | RuntimeException e) {
            unreadable.record();
            LOG.warn("Unreadable customer event, routed nowhere: {} at {} key {}: {}", type, where(), record.key(),
                    e.toString());
        }
    }

    private static JsonNode required(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the event has no " + field);
        }
        return value;
    }

    private static CustomerId customerOf(JsonNode event) {
        return CustomerId.of(required(event, "customerId").asText());
    }

    /** The address with its personal fields (those {@link PersonalData} marks on {@link PostalAddress}) erased. */
    private static JsonNode erased(JsonNode address) {
        if (!(address instanceof ObjectNode object)) {
            return address;
        }
        ObjectNode copy = object.deepCopy();
        for (Field field : PostalAddress.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(PersonalData.class)) {
                copy.put(field.getName(), PersonalData.ERASED);
            }
        }
        return copy;
    }

    private interface Change {
        /** The addresses after the change; null when there is nothing to route. */
        CustomerAddresses applyTo(CustomerAddresses previous);
    }

    private void route(Record<String, byte[]> record, CustomerId customerId, long version, Change change)
            throws IOException {
        String key = customerId.toString();
        CustomerAddresses previous = store.get(key);
        if (previous != null && version <= previous.version()) {
            stale.record();
            LOG.debug("Stale address change of customer {} dropped: version {} after {}", key, version,
                    previous.version());
            return;
        }
        CustomerAddresses now = change.applyTo(previous);
        if (now == null) {
            return;
        }
        store.put(key, now);
        for (AddressKind kind : AddressKind.values()) {
            JsonNode address = now.of(kind);
            if (address == null) {
                continue; // Not known yet: nothing to say about this kind.
            }
            // The shape of ShippingAddressChangedEvent and BillingAddressChangedEvent, with the address as it came.
            Class<?> type = kind == AddressKind.SHIPPING ? ShippingAddressChangedEvent.class
                    : BillingAddressChangedEvent.class;
            ObjectNode event = json.createObjectNode();
            event.put("customerId", key);
            event.set("address", address);
            event.put("version", version);
            context.forward(new Record<>(key, json.writeValueAsBytes(event), record.timestamp(),
                    headersFor(record, key, type, kind)), kind == AddressKind.SHIPPING ? AddressRouting.SHIPPING_SINK
                    : AddressRouting.BILLING_SINK);
            routed.record();
        }
    }

    private static boolean isRevision(Record<String, byte[]> record, Class<?> type) {
        Revision revision = type.getAnnotation(Revision.class);
        return revision != null && revision.value().equals(text(record.headers(), MESSAGE_REVISION));
    }

    private Headers headersFor(Record<String, byte[]> input, String key, Class<?> type, AddressKind kind) {
        RecordHeaders headers = new RecordHeaders();
        String inputId = text(input.headers(), MESSAGE_ID);
        String id = UUID.nameUUIDFromBytes((inputId + "/" + kind).getBytes(StandardCharsets.UTF_8)).toString();
        headers.add(MESSAGE_ID, id.getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE_TYPE, type.getName().getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE_REVISION, type.getAnnotation(Revision.class).value()
                .getBytes(StandardCharsets.UTF_8));
        Header timestamp = input.headers().lastHeader(MESSAGE_TIMESTAMP);
        byte[] millis = timestamp != null && timestamp.value() != null && timestamp.value().length == Long.BYTES
                ? timestamp.value() : ByteBuffer.allocate(Long.BYTES).putLong(input.timestamp()).array();
        headers.add(MESSAGE_TIMESTAMP, millis);
        for (Header header : input.headers()) {
            if (header.key().startsWith(METADATA_PREFIX)) {
                headers.add(header.key(), header.value());
            }
        }
        String revision = type.getAnnotation(Revision.class).value();
        // A CloudEvent as well, in the same trace as the customer event it was routed from.
        CloudEventHeaders.write(headers, new CloudEventHeaders.Attributes(id, type, revision,
                Instant.ofEpochMilli(ByteBuffer.wrap(millis).getLong()), key,
                CloudEventHeaders.dataSchema(contractsUrl, type, revision),
                text(input.headers(), TRACE_ID)));
        return headers;
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset())
                .orElse("an unknown position");
    }
}
