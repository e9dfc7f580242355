package io.orderflow.addressrouting;

import io.orderflow.topics.CloudEventHeaders;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerEventsTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The address router's topology: {@code orderflow.customer-events} in, one processor with a state store keyed by
 * customer ({@link RouteByKind}), and a sink per kind of address ({@code orderflow.shipping-address-changed} and
 * {@code orderflow.billing-address-changed}). Keys stay the customer id throughout, so a customer's records keep
 * their order from the input partition to each output partition, and the store is partitioned like the input.
 */
public final class AddressRouting {

    /** The Kafka Streams application id: the consumer group, and the prefix of the internal topics. */
    public static final String APPLICATION_ID = "orderflow-address-routing";
    /** The state store: per customer, the newest version routed and its addresses. */
    public static final String STORE = "customer-addresses";
    /** The metrics group of the router's own counts (routed, stale, unknown, unreadable records). */
    public static final String METRICS_SCOPE = "address-routing";

    static final String SOURCE = "customer-events";
    static final String ROUTER = "route-by-kind";
    static final String SHIPPING_SINK = "shipping-addresses";
    static final String BILLING_SINK = "billing-addresses";

    private AddressRouting() {
    }

    /** Where the event contracts are served when nothing else is configured: the default run's API. */
    public static final String DEFAULT_CONTRACTS_URL = CloudEventHeaders.contractsUrl("http://localhost:8080");

    /** The topology, with records whose {@code ce_dataschema} points at the default run's contracts. */
    public static Topology topology() {
        return topology(DEFAULT_CONTRACTS_URL);
    }

    /** The topology, with the JSON mapping every node uses; the routed records' schemas are under {@code contractsUrl}. */
    public static Topology topology(String contractsUrl) {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                CustomerEventsTopic.NAME);
        topology.addProcessor(ROUTER, () -> new RouteByKind(json, contractsUrl), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(json, CustomerAddresses.class)), ROUTER);
        topology.addSink(SHIPPING_SINK, AddressTopics.SHIPPING, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), ROUTER);
        topology.addSink(BILLING_SINK, AddressTopics.BILLING, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), ROUTER);
        return topology;
    }
}
