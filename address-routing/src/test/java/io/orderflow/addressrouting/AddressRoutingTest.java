package io.orderflow.addressrouting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.values.PersonalData;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The router's topology on Kafka Streams' test driver: routing by kind, stale versions dropped, others counted. */
class AddressRoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final PostalAddress HOME = new PostalAddress("1 Home St", "Berlin", "10115", "DE");
    private static final PostalAddress OFFICE = new PostalAddress("2 Office Rd", "Hamburg", "20095", "DE");
    private static final PostalAddress NEW_HOME = new PostalAddress("3 New Way", "Munich", "80331", "DE");

    @TempDir
    Path state;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> customerEvents;
    private TestOutputTopic<String, byte[]> shipping;
    private TestOutputTopic<String, byte[]> billing;

    @BeforeEach
    void startDriver() {
        driver = new TopologyTestDriver(AddressRouting.topology(), AddressRoutingApplication.defaults(state));
        customerEvents = driver.createInputTopic(CustomerEventsTopic.NAME, new StringSerializer(),
                new ByteArraySerializer());
        shipping = driver.createOutputTopic(AddressTopics.SHIPPING, new StringDeserializer(),
                new ByteArrayDeserializer());
        billing = driver.createOutputTopic(AddressTopics.BILLING, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aRegistrationGivesBothAddresses_andEachChangeGoesToItsKindsTopic_withEveryVersionOnBoth() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());

        send(new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", HOME, OFFICE, 1));
        send(new AddressChangedEvent(customer, AddressKind.SHIPPING, NEW_HOME, 2));

        List<TestRecord<String, byte[]>> shipped = shipping.readRecordsToList();
        List<TestRecord<String, byte[]>> billed = billing.readRecordsToList();
        assertThat(shipped).extracting(TestRecord::key).containsOnly(customer.toString());
        assertThat(shipped).extracting(r -> read(r, ShippingAddressChangedEvent.class)).containsExactly(
                new ShippingAddressChangedEvent(customer, HOME, 1),
                new ShippingAddressChangedEvent(customer, NEW_HOME, 2));
        // The billing topic reaches version 2 as well, with the billing address it had.
        assertThat(billed).extracting(r -> read(r, BillingAddressChangedEvent.class)).containsExactly(
                new BillingAddressChangedEvent(customer, OFFICE, 1),
                new BillingAddressChangedEvent(customer, OFFICE, 2));
        assertThat(counted("routed")).isEqualTo(4);
    }

    @Test
    void aChangeOlderThanOneRouted_isDropped_andCounted() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());
        send(new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", HOME, OFFICE, 1));
        send(new AddressChangedEvent(customer, AddressKind.BILLING, NEW_HOME, 3));
        shipping.readRecordsToList();
        billing.readRecordsToList();

        // Version 2 arrives after version 3 (a late delivery), then version 3 again (a repeated one).
        send(new AddressChangedEvent(customer, AddressKind.BILLING, HOME, 2));
        send(new AddressChangedEvent(customer, AddressKind.BILLING, NEW_HOME, 3));

        assertThat(shipping.isEmpty()).isTrue();
        assertThat(billing.isEmpty()).isTrue();
        assertThat(counted("stale")).isEqualTo(2);
        assertThat(driver.<String, CustomerAddresses>getKeyValueStore(AddressRouting.STORE).get(customer.toString()))
                .isEqualTo(new CustomerAddresses(3, JSON.valueToTree(HOME), JSON.valueToTree(NEW_HOME)));
    }

    /**
     * An erasure reaches both address topics as an erased address at the erasure's version: every consumer
     * overwrites its copy, and the latest record per customer (what compaction keeps) holds nothing personal.
     */
    @Test
    void anErasureSendsTheErasedAddressesAtItsVersion_keepingTheCountries() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());
        send(new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", HOME, OFFICE, 1));
        shipping.readRecordsToList();
        billing.readRecordsToList();

        send(new CustomerErasedEvent(customer, Instant.parse("2026-12-05T10:00:00Z"), 2));

        PostalAddress erased = new PostalAddress(PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, "DE");
        assertThat(shipping.readRecordsToList()).extracting(r -> read(r, ShippingAddressChangedEvent.class))
                .containsExactly(new ShippingAddressChangedEvent(customer, erased, 2));
        assertThat(billing.readRecordsToList()).extracting(r -> read(r, BillingAddressChangedEvent.class))
                .containsExactly(new BillingAddressChangedEvent(customer, erased, 2));
    }

    /** Personal fields arrive encrypted (ADR 0032), longer than any address a client may give: moved unread. */
    @Test
    void addressesAreMovedAsTheyCome_withoutBeingRead() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());
        String encrypted = "pd1:" + "A".repeat(300);
        byte[] registration = JSON.writeValueAsBytes(JSON.createObjectNode().put("customerId", customer.toString())
                .put("name", encrypted).put("email", encrypted).put("version", 0)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("shippingAddress", JSON.createObjectNode()
                        .put("street", encrypted).put("city", encrypted).put("postalCode", encrypted)
                        .put("country", "DE"))
                .set("billingAddress", JSON.valueToTree(OFFICE)));
        customerEvents.pipeInput(new TestRecord<>(customer.toString(), registration,
                headers(CustomerRegisteredEvent.class.getName(), "1")));

        assertThat(new String(shipping.readRecord().value(), StandardCharsets.UTF_8))
                .contains("\"street\":\"" + encrypted + "\"");
        assertThat(counted("unreadable")).isZero();
    }

    @Test
    void eachCustomerHasTheirOwnVersions() throws Exception {
        CustomerId ada = new CustomerId(UUID.randomUUID());
        CustomerId grace = new CustomerId(UUID.randomUUID());
        send(new CustomerRegisteredEvent(ada, "Ada", "ada@example.com", HOME, OFFICE, 5));

        send(new CustomerRegisteredEvent(grace, "Grace", "grace@example.com", OFFICE, HOME, 1));

        assertThat(shipping.readRecordsToList()).extracting(r -> read(r, ShippingAddressChangedEvent.class))
                .containsExactly(new ShippingAddressChangedEvent(ada, HOME, 5),
                        new ShippingAddressChangedEvent(grace, OFFICE, 1));
    }

    @Test
    void otherTypesAndUnreadableRecords_arePassedNowhere_andCounted() {
        RecordHeaders other = headers("io.orderflow.customer.api.CustomerRenamedEvent", "1");
        customerEvents.pipeInput(new TestRecord<>("k", "{}".getBytes(StandardCharsets.UTF_8), other));
        // A known type in a revision the router does not know is not guessed at.
        RecordHeaders future = headers(AddressChangedEvent.class.getName(), "2");
        customerEvents.pipeInput(new TestRecord<>("k", "{}".getBytes(StandardCharsets.UTF_8), future));
        RecordHeaders broken = headers(AddressChangedEvent.class.getName(), "1");
        customerEvents.pipeInput(new TestRecord<>("k", "not json".getBytes(StandardCharsets.UTF_8), broken));

        assertThat(shipping.isEmpty()).isTrue();
        assertThat(billing.isEmpty()).isTrue();
        assertThat(counted("unknown")).isEqualTo(2);
        assertThat(counted("unreadable")).isEqualTo(1);
    }

    @Test
    void routedRecordsCarryAxonHeaders_derivedIdsTheInputsTimestampAndItsMetadata() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());
        Instant at = Instant.parse("2026-12-05T10:00:00Z");
        RecordHeaders headers = headers(CustomerRegisteredEvent.class.getName(), "1");
        headers.add("axon-message-timestamp", ByteBuffer.allocate(Long.BYTES).putLong(at.toEpochMilli()).array());
        headers.add("axon-metadata-traceId", "trace-1".getBytes(StandardCharsets.UTF_8));
        byte[] value = JSON.writeValueAsBytes(new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", HOME,
                OFFICE, 1));

        customerEvents.pipeInput(new TestRecord<>(customer.toString(), value, headers));

        TestRecord<String, byte[]> routed = shipping.readRecord();
        assertThat(header(routed, "axon-message-type")).isEqualTo(ShippingAddressChangedEvent.class.getName());
        assertThat(header(routed, "axon-message-revision")).isEqualTo("1");
        assertThat(header(routed, "axon-metadata-traceId")).isEqualTo("trace-1");
        assertThat(ByteBuffer.wrap(routed.headers().lastHeader("axon-message-timestamp").value()).getLong())
                .isEqualTo(at.toEpochMilli());
        String id = header(routed, "axon-message-id");
        assertThat(id).isNotEqualTo(header(billing.readRecord(), "axon-message-id"));
        JsonNode body = JSON.readTree(routed.value());
        assertThat(body.get("customerId").asText()).isEqualTo(customer.toString());
        assertThat(body.get("version").asLong()).isEqualTo(1);
        // A CloudEvent too, in the trace of the customer event it came from.
        assertThat(header(routed, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(routed, "ce_id")).isEqualTo(id);
        assertThat(header(routed, "ce_type")).isEqualTo(ShippingAddressChangedEvent.class.getName() + ".v1");
        assertThat(header(routed, "ce_source")).isEqualTo("/orderflow/customer");
        assertThat(header(routed, "ce_subject")).isEqualTo(customer.toString());
        assertThat(header(routed, "ce_time")).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(header(routed, "ce_dataschema"))
                .isEqualTo(AddressRouting.DEFAULT_CONTRACTS_URL + "/ShippingAddressChangedEvent/1");
        assertThat(header(routed, "traceparent")).isEqualTo(
                io.orderflow.topics.CloudEventHeaders.traceparent("trace-1", id));
    }

    private void send(Object event) throws Exception {
        String key = JSON.readTree(JSON.writeValueAsBytes(event)).get("customerId").asText();
        customerEvents.pipeInput(new TestRecord<>(key, JSON.writeValueAsBytes(event),
                headers(event.getClass().getName(), "1")));
    }

    private static RecordHeaders headers(String type, String revision) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("axon-message-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("axon-message-type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("axon-message-revision", revision.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static <T> T read(TestRecord<String, byte[]> record, Class<T> type) {
        try {
            return JSON.readValue(record.value(), type);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The router's own count of {@code what}, summed over its tasks. */
    private double counted(String what) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : driver.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.group().contains(AddressRouting.METRICS_SCOPE) && name.name().equals(what + "-total")) {
                total += ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }
}
