package io.orderflow.wiring.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;
import org.axonframework.messaging.EventPublicationFailedException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka extension's publisher, changed in one respect: it sends every record of a processor batch first and
 * waits for all their acknowledgements once, before the batch's token is committed, instead of waiting for each
 * record before sending the next (which caps forwarding at one broker round trip per event).
 *
 * <p>The guarantee is the extension's {@code WAIT_FOR_ACK}: the token moves only when Kafka acknowledged every
 * record of the batch; a failed, timed-out or interrupted wait rolls the batch back and it is sent again
 * (duplicates on the topic, never a gap). Unlike the extension, an interrupted wait is a failure here rather than
 * a success. Ordering per key is the producer's: records of one order go to one partition in send order, and the
 * idempotent producer keeps that order across its retries. See ADR 0002.
 */
final class BatchAcknowledgedKafkaPublisher<K, V> extends KafkaPublisher<K, V> {

    private static final String PENDING_ACKS = BatchAcknowledgedKafkaPublisher.class.getName() + ".pendingAcks";

    private final ProducerFactory<K, V> producerFactory;
    private final KafkaMessageConverter<K, V> messageConverter;
    private final TopicResolver topicResolver;
    private final Duration ackTimeout;

    BatchAcknowledgedKafkaPublisher(ProducerFactory<K, V> producerFactory, KafkaMessageConverter<K, V> converter,
                                    TopicResolver topicResolver, Duration ackTimeout,
                                    KafkaPublisher.Builder<K, V> builder) {
        super(builder.producerFactory(producerFactory).messageConverter(converter).topicResolver(topicResolver));
        this.producerFactory = producerFactory;
        this.messageConverter = converter;
        this.topicResolver = topicResolver;
        this.ackTimeout = ackTimeout;
    }

    @Override
    public <T extends EventMessage<?>> void send(T event) {
        Optional<String> topic = topicResolver.resolve(event);
        if (topic.isEmpty()) {
            return;
        }
        // Non-transactional factories hand out one shared producer; closing it is a no-op.
        Producer<K, V> producer = producerFactory.createProducer();
        Future<RecordMetadata> ack = producer.send(messageConverter.createKafkaMessage(event, topic.get()));
        pendingAcks().add(ack);
    }

    /** The acknowledgements the current batch still waits for, checked once before the batch commits. */
    private List<Future<RecordMetadata>> pendingAcks() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING_ACKS, key -> {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            batch.onPrepareCommit(u -> awaitAll(acks));
            return acks;
        });
    }

    private void awaitAll(List<Future<RecordMetadata>> acks) {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventPublicationFailedException("interrupted while waiting for Kafka to acknowledge "
                        + acks.size() + " records; the batch will be sent again", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new EventPublicationFailedException("Kafka did not acknowledge all " + acks.size()
                        + " records of the batch within " + ackTimeout.toMillis() + " ms; the batch will be sent "
                        + "again", e instanceof ExecutionException ? e.getCause() : e);
            }
        }
    }
}
