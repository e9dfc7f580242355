package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.wiring.kafka.KafkaClientMeters;
import org.axonframework.extensions.kafka.eventhandling.consumer.DefaultConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.DefaultProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running application's publisher and processors' consumers start from the shared {@code spring.kafka.*}
 * settings (the test context sets {@code spring.kafka.properties.client.dns.lookup}), with their own settings on top.
 */
class KafkaClientsIT extends EmbeddedSystemTest {

    @Autowired
    ProducerFactory<String, byte[]> producers;

    @Autowired
    ConsumerFactory<String, byte[]> consumers;

    @Test
    void thePublisherAndTheConsumersTakeTheSharedSettings() {
        // Each factory reports its clients' metrics (KafkaClientMeters) around Axon's own.
        var produced = ((DefaultProducerFactory<String, byte[]>)
                ((KafkaClientMeters.MeteredProducers<String, byte[]>) producers).delegate()).configurationProperties();
        var consumed = ((DefaultConsumerFactory<String, byte[]>)
                ((KafkaClientMeters.MeteredConsumers<String, byte[]>) consumers).delegate()).configurationProperties();

        assertThat(produced).containsEntry("client.dns.lookup", "use_all_dns_ips")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(consumed).containsEntry("client.dns.lookup", "use_all_dns_ips")
                .containsEntry("enable.auto.commit", false).containsEntry("isolation.level", "read_committed");
    }
}
