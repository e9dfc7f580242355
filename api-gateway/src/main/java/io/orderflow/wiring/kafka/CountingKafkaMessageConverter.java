package io.orderflow.wiring.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's Kafka converter, except that a record it cannot read is counted and logged instead of being skipped in
 * silence (the extension logs it at TRACE; docs/engineering-notes.md, trap 6). The count is the metric
 * {@code orderflow.kafka.unreadable.records}, tagged by topic; the log names topic, partition, offset and the
 * record's declared type, so the record can be found and inspected.
 */
final class CountingKafkaMessageConverter implements KafkaMessageConverter<String, byte[]> {

    static final String METRIC = "orderflow.kafka.unreadable.records";
    private static final Logger LOG = LoggerFactory.getLogger(CountingKafkaMessageConverter.class);

    private final KafkaMessageConverter<String, byte[]> delegate;
    private final MeterRegistry meters;
    private final AtomicLong unreadable = new AtomicLong();

    CountingKafkaMessageConverter(KafkaMessageConverter<String, byte[]> delegate, MeterRegistry meters) {
        this.delegate = delegate;
        this.meters = meters;
    }

    @Override
    public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
        return delegate.createKafkaMessage(eventMessage, topic);
    }

    @Override
    public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> consumerRecord) {
        Optional<EventMessage<?>> read;
        try {
            read = delegate.readKafkaMessage(consumerRecord);
        } catch (RuntimeException e) {
            count(consumerRecord, e.toString());
            return Optional.empty();
        }
        if (read.isEmpty()) {
            count(consumerRecord, "not an Axon event record (missing message headers)");
        }
        return read;
    }

    /** How many records this converter could not read since the application started. */
    long unreadable() {
        return unreadable.get();
    }

    private void count(ConsumerRecord<String, byte[]> record, String why) {
        unreadable.incrementAndGet();
        Counter.builder(METRIC)
                .description("Kafka records the consumers could not turn into events, and so skipped")
                .tag("topic", record.topic())
                .register(meters)
                .increment();
        LOG.warn("Skipped an unreadable Kafka record: topic {} partition {} offset {} key {} type {}: {}",
                record.topic(), record.partition(), record.offset(), record.key(),
                header(record, "axon-message-type"), why);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "(none)"
                : new String(header.value(), StandardCharsets.UTF_8);
    }
}
