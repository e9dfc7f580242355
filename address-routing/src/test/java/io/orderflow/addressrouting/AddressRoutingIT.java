package io.orderflow.addressrouting;

import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router on a real broker with the platform's topics: exactly-once processing, committed output only, a stale
 * version dropped, and a restart that neither repeats nor loses a routed version.
 */
class AddressRoutingIT extends RealBrokerTest {

    private static final PostalAddress HOME = new PostalAddress("1 Home St", "Berlin", "10115", "DE");
    private static final PostalAddress OFFICE = new PostalAddress("2 Office Rd", "Hamburg", "20095", "DE");
    private static final PostalAddress NEW_HOME = new PostalAddress("3 New Way", "Munich", "80331", "DE");
    private static final PostalAddress NEW_OFFICE = new PostalAddress("4 Tower Pl", "Cologne", "50667", "DE");

    @Test
    void routesEachKindToItsTopic_dropsAStaleVersion_andARestartNeitherRepeatsNorLosesOne() throws Exception {
        CustomerId customer = new CustomerId(UUID.randomUUID());
        Properties settings = AddressRoutingApplication.defaults(dir.resolve("home"));
        settings.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = producer();
             KafkaConsumer<String, byte[]> consumer = committedReader()) {
            consumer.subscribe(List.of(AddressTopics.SHIPPING, AddressTopics.BILLING));
            List<ConsumerRecord<String, byte[]>> routed = new ArrayList<>();

            KafkaStreams router = AddressRoutingApplication.start(settings);
            try {
                send(producer, new CustomerRegisteredEvent(customer, "Ada", "ada@example.com", HOME, OFFICE, 1));
                send(producer, new AddressChangedEvent(customer, AddressKind.SHIPPING, NEW_HOME, 2));
                send(producer, new AddressChangedEvent(customer, AddressKind.SHIPPING, HOME, 1)); // late: dropped
                awaitRecords(consumer, routed, 4);
            } finally {
                AddressRoutingApplication.stop(router);
            }
            // Written while the router is down, routed once it is back.
            send(producer, new AddressChangedEvent(customer, AddressKind.BILLING, NEW_OFFICE, 3));
            KafkaStreams restarted = AddressRoutingApplication.start(settings);
            try {
                awaitRecords(consumer, routed, 6);
                // Nothing more comes: no routed version is repeated after the restart.
                for (int i = 0; i < 10; i++) {
                    consumer.poll(Duration.ofMillis(300)).forEach(routed::add);
                }
            } finally {
                AddressRoutingApplication.stop(restarted);
            }

            List<Object> shipping = routed.stream().filter(r -> r.topic().equals(AddressTopics.SHIPPING))
                    .map(r -> read(r.value(), ShippingAddressChangedEvent.class)).map(Object.class::cast).toList();
            List<Object> billing = routed.stream().filter(r -> r.topic().equals(AddressTopics.BILLING))
                    .map(r -> read(r.value(), BillingAddressChangedEvent.class)).map(Object.class::cast).toList();
            System.out.printf("Address router on a real broker: %d shipping and %d billing records routed "
                    + "across one restart; 1 stale change dropped%n", shipping.size(), billing.size());
            assertThat(shipping).containsExactly(
                    new ShippingAddressChangedEvent(customer, HOME, 1),
                    new ShippingAddressChangedEvent(customer, NEW_HOME, 2),
                    new ShippingAddressChangedEvent(customer, NEW_HOME, 3));
            assertThat(billing).containsExactly(
                    new BillingAddressChangedEvent(customer, OFFICE, 1),
                    new BillingAddressChangedEvent(customer, OFFICE, 2),
                    new BillingAddressChangedEvent(customer, NEW_OFFICE, 3));
            assertThat(routed).extracting(ConsumerRecord::key).containsOnly(customer.toString());
        }
    }

    private static void awaitRecords(KafkaConsumer<String, byte[]> consumer,
                                     List<ConsumerRecord<String, byte[]>> routed, int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(routed::add);
            return routed.size() >= count;
        });
    }

    private static void send(KafkaProducer<String, byte[]> producer, Object event) throws Exception {
        producer.send(customerEvent(event)).get();
    }
}
