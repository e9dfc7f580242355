package io.orderflow.wiring.kafka;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.ConfirmationMode;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.messaging.EventPublicationFailedException;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batch's token may commit only once Kafka acknowledged every record of the batch; anything else rolls the
 * batch back. Uses Kafka's own {@link MockProducer}, whose acknowledgements the test completes by hand.
 */
class BatchAcknowledgedKafkaPublisherTest {

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService broker = Executors.newSingleThreadScheduledExecutor();
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    private final BatchAcknowledgedKafkaPublisher<String, byte[]> publisher = new BatchAcknowledgedKafkaPublisher<>(
            new SingleProducerFactory(producer),
            DefaultKafkaMessageConverter.builder().serializer(serializer).build(),
            event -> Optional.of("orderflow.order-events"), Duration.ofSeconds(2),
            KafkaPublisher.<String, byte[]>builder().serializer(serializer));

    @AfterEach
    void stopBroker() {
        broker.shutdownNow();
    }

    @Test
    void givenABatch_whenEveryRecordIsAcknowledged_thenItCommits_andAllRecordsWereSentBeforeTheFirstWait() {
        AtomicBoolean committed = new AtomicBoolean();
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(event("a"));
        batch.afterCommit(u -> committed.set(true));

        publisher.send(event("a"));
        publisher.send(event("b"));
        publisher.send(event("c"));
        assertThat(producer.history()).as("sent without waiting for any acknowledgement").hasSize(3);
        broker.schedule(() -> {
            while (producer.completeNext()) {
                // acknowledge everything sent so far
            }
        }, 100, TimeUnit.MILLISECONDS);
        batch.commit();

        assertThat(committed).isTrue();
    }

    @Test
    void givenABatch_whenOneRecordFails_thenTheBatchRollsBackAndItsTokenIsNotStored() {
        AtomicBoolean committed = new AtomicBoolean();
        AtomicBoolean rolledBack = new AtomicBoolean();
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(event("a"));
        batch.afterCommit(u -> committed.set(true));
        batch.onRollback(u -> rolledBack.set(true));

        publisher.send(event("a"));
        publisher.send(event("b"));
        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("only 1 in sync"));

        assertThatThrownBy(batch::commit).isInstanceOf(EventPublicationFailedException.class)
                .hasMessageContaining("did not acknowledge all 2 records");
        assertThat(committed).isFalse();
        assertThat(rolledBack).isTrue();
    }

    @Test
    void givenABatch_whenAnAcknowledgementNeverComes_thenTheWaitTimesOutAndTheBatchRollsBack() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(event("a"));
        publisher.send(event("a"));

        long start = System.nanoTime();
        assertThatThrownBy(batch::commit).isInstanceOf(EventPublicationFailedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void givenTheWaitingThreadIsInterrupted_thenTheBatchFailsInsteadOfPassingAsAcknowledged() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(event("a"));
        publisher.send(event("a"));

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(batch::commit).isInstanceOf(EventPublicationFailedException.class)
                    .hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void givenAnEventNoTopicWants_thenNothingIsSentAndTheBatchCommits() {
        BatchAcknowledgedKafkaPublisher<String, byte[]> routingNothing = new BatchAcknowledgedKafkaPublisher<>(
                new SingleProducerFactory(producer), DefaultKafkaMessageConverter.builder().serializer(serializer)
                .build(), event -> Optional.empty(), Duration.ofSeconds(1),
                KafkaPublisher.<String, byte[]>builder().serializer(serializer));
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(event("a"));

        routingNothing.send(event("a"));
        batch.commit();

        assertThat(producer.history()).isEmpty();
    }

    private static EventMessage<String> event(String payload) {
        return GenericEventMessage.asEventMessage(payload);
    }

    private record SingleProducerFactory(Producer<String, byte[]> producer)
            implements ProducerFactory<String, byte[]> {

        @Override
        public Producer<String, byte[]> createProducer() {
            return producer;
        }

        @Override
        public ConfirmationMode confirmationMode() {
            return ConfirmationMode.WAIT_FOR_ACK;
        }

        @Override
        public void shutDown() {
            producer.close();
        }
    }
}
