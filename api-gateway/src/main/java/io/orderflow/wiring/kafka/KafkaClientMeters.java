package io.orderflow.wiring.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.ConfirmationMode;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's own client metrics (the producer's send rate, errors, retries and request latency; the consumers'
 * fetch rate, records lag and poll intervals) in Micrometer, through its {@link KafkaClientMetrics} binder: the
 * clients are made by Axon's Kafka extension, so its producer and consumer factories are decorated to bind each
 * client they make, and a consumer's binding is closed with the consumer (its series go with it). Every client is
 * tagged {@code client} ({@code publisher}, {@code consumer-<n>}) so that two consumers with one client id never
 * share a series. One scheduler thread re-reads the clients' metric names for all bindings.
 */
public final class KafkaClientMeters implements AutoCloseable {

    private final MeterRegistry meters;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-client-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger consumers = new AtomicInteger();
    private final List<KafkaClientMetrics> bindings = Collections.synchronizedList(new ArrayList<>());

    public KafkaClientMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The factory's producers, each bound once (a non-transactional factory hands out one shared producer). */
    public <K, V> MeteredProducers<K, V> producers(ProducerFactory<K, V> factory) {
        return new MeteredProducers<>(factory);
    }

    /** The factory's consumers, each bound until it is closed. */
    public <K, V> MeteredConsumers<K, V> consumers(ConsumerFactory<K, V> factory) {
        return new MeteredConsumers<>(factory);
    }

    /** A producer factory whose producers report their metrics. */
    public final class MeteredProducers<K, V> implements ProducerFactory<K, V> {

        private final ProducerFactory<K, V> factory;
        private final Map<Producer<K, V>, Boolean> bound = Collections.synchronizedMap(new IdentityHashMap<>());

        private MeteredProducers(ProducerFactory<K, V> factory) {
            this.factory = factory;
        }

        /** The factory it decorates. */
        public ProducerFactory<K, V> delegate() {
            return factory;
        }

        @Override
        public Producer<K, V> createProducer() {
            Producer<K, V> producer = factory.createProducer();
            if (bound.putIfAbsent(producer, Boolean.TRUE) == null) {
                bind(new KafkaClientMetrics(producer, List.of(Tag.of("client", "publisher")), scheduler));
            }
            return producer;
        }

        @Override
        public ConfirmationMode confirmationMode() {
            return factory.confirmationMode();
        }

        @Override
        public void shutDown() {
            factory.shutDown();
        }
    }

    /** A consumer factory whose consumers report their metrics while they are open. */
    public final class MeteredConsumers<K, V> implements ConsumerFactory<K, V> {

        private final ConsumerFactory<K, V> factory;

        private MeteredConsumers(ConsumerFactory<K, V> factory) {
            this.factory = factory;
        }

        /** The factory it decorates. */
        public ConsumerFactory<K, V> delegate() {
            return factory;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Consumer<K, V> createConsumer(String groupId) {
            Consumer<K, V> consumer = factory.createConsumer(groupId);
            KafkaClientMetrics binding = new KafkaClientMetrics(consumer,
                    List.of(Tag.of("client", "consumer-" + consumers.incrementAndGet())), scheduler);
            bind(binding);
            return (Consumer<K, V>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                    new Class<?>[] {Consumer.class}, (proxy, method, arguments) -> {
                        if (method.getName().equals("close")) {
                            unbind(binding);
                        }
                        try {
                            return method.invoke(consumer, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private void bind(KafkaClientMetrics binding) {
        binding.bindTo(meters);
        bindings.add(binding);
    }

    private void unbind(KafkaClientMetrics binding) {
        if (bindings.remove(binding)) {
            binding.close();
        }
    }

    /** How many clients are bound now. */
    int bound() {
        return bindings.size();
    }

    @Override
    public void close() {
        List.copyOf(bindings).forEach(this::unbind);
        scheduler.shutdownNow();
    }
}
