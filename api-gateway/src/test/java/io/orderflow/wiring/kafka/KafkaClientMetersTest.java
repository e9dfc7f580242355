package io.orderflow.wiring.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.extensions.kafka.eventhandling.producer.ConfirmationMode;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientMetersTest {

    private final KafkaClientMeters meters = new KafkaClientMeters(new SimpleMeterRegistry());

    @AfterEach
    void close() {
        meters.close();
    }

    @Test
    void aConsumerIsBoundWhileOpen_andEveryCallReachesIt() {
        MockConsumer<String, byte[]> mock = new MockConsumer<>(OffsetResetStrategy.NONE);
        Consumer<String, byte[]> consumer = meters.consumers((String group) -> mock).createConsumer(null);
        TopicPartition partition = new TopicPartition("orderflow.order-events", 0);

        consumer.assign(List.of(partition));

        assertThat(mock.assignment()).containsExactly(partition);
        assertThat(meters.bound()).isEqualTo(1);
        consumer.close();
        assertThat(mock.closed()).isTrue();
        assertThat(meters.bound()).as("the binding went with the consumer").isZero();
    }

    @Test
    void theSharedProducerIsBoundOnce_andTheFactoryKeepsItsSettings() {
        MockProducer<String, byte[]> shared = new MockProducer<>();
        AtomicInteger shutDowns = new AtomicInteger();
        ProducerFactory<String, byte[]> factory = meters.producers(new ProducerFactory<>() {
            @Override
            public Producer<String, byte[]> createProducer() {
                return shared;
            }

            @Override
            public ConfirmationMode confirmationMode() {
                return ConfirmationMode.WAIT_FOR_ACK;
            }

            @Override
            public void shutDown() {
                shutDowns.incrementAndGet();
            }
        });

        assertThat(factory.createProducer()).isSameAs(shared);
        assertThat(factory.createProducer()).isSameAs(shared);

        assertThat(meters.bound()).isEqualTo(1);
        assertThat(factory.confirmationMode()).isEqualTo(ConfirmationMode.WAIT_FOR_ACK);
        factory.shutDown();
        assertThat(shutDowns).hasValue(1);
    }
}
