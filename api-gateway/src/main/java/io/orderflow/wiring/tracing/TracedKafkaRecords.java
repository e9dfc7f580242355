package io.orderflow.wiring.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * The Kafka hops of a trace (ADR 0045). Writing a record, in the span of the processor that forwards the event, a
 * {@code PRODUCER} span "{@code <topic> publish}" is made and the record's W3C {@code traceparent} names it (in place
 * of the one derived from the trace id, ADR 0025). Reading a record, a {@code CONSUMER} span "{@code <topic> receive}"
 * is made as that span's child: it starts at the record's timestamp and ends when the consumer read it, so its
 * length is the time the record waited in the topic. The event's metadata then carries the receive span's context,
 * so each consumer's handling (Axon's span) is its child: producer, broker and consumer in one trace, linked by the
 * header any other team's consumer reads as well.
 *
 * <p>A record read long after it was written (a replay, a consumer far behind: older than
 * {@code orderflow.tracing.receive-span-limit}) gets no receive span: its handling is linked to its trace by Axon
 * rather than added to it. Without a valid context, the record is written and read as before.
 */
final class TracedKafkaRecords implements KafkaMessageConverter<String, byte[]> {

    static final String WAIT_ATTRIBUTE = "orderflow.kafka.wait_ms";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };
    private static final TextMapGetter<Headers> HEADER_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final KafkaMessageConverter<String, byte[]> delegate;
    private final Tracer tracer;
    private final Duration receiveSpanLimit;
    private final Clock clock;

    TracedKafkaRecords(KafkaMessageConverter<String, byte[]> delegate, Tracer tracer, Duration receiveSpanLimit) {
        this(delegate, tracer, receiveSpanLimit, Clock.systemUTC());
    }

    TracedKafkaRecords(KafkaMessageConverter<String, byte[]> delegate, Tracer tracer, Duration receiveSpanLimit,
                       Clock clock) {
        this.delegate = delegate;
        this.tracer = tracer;
        this.receiveSpanLimit = receiveSpanLimit;
        this.clock = clock;
    }

    @Override
    public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> event, String topic) {
        ProducerRecord<String, byte[]> record = delegate.createKafkaMessage(event, topic);
        Context current = Context.current();
        if (!Span.fromContext(current).getSpanContext().isValid()) {
            return record;
        }
        Span publish = tracer.spanBuilder(topic + " publish")
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(current)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.message.id", event.getIdentifier())
                .setAttribute("messaging.kafka.message.key", record.key() == null ? "" : record.key())
                .setAttribute("orderflow.event.type", event.getPayloadType().getSimpleName())
                .startSpan();
        try {
            W3C.inject(current.with(publish), record.headers(), HEADER_SETTER);
        } finally {
            publish.end();
        }
        return record;
    }

    @Override
    public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> record) {
        Optional<EventMessage<?>> read = delegate.readKafkaMessage(record);
        if (read.isEmpty()) {
            return read;
        }
        Context sent = W3C.extract(Context.root(), record.headers(), HEADER_GETTER);
        if (!Span.fromContext(sent).getSpanContext().isValid()) {
            return read;
        }
        long now = clock.millis();
        long waited = now - record.timestamp();
        if (record.timestamp() < 0 || waited > receiveSpanLimit.toMillis()) {
            return read;
        }
        Span receive = tracer.spanBuilder(record.topic() + " receive")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(sent)
                .setStartTimestamp(record.timestamp(), TimeUnit.MILLISECONDS)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "receive")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.kafka.message.key", record.key() == null ? "" : record.key())
                .setAttribute(WAIT_ATTRIBUTE, Math.max(0, waited))
                .startSpan();
        receive.end(Math.max(now, record.timestamp()), TimeUnit.MILLISECONDS);
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(sent.with(receive), carrier, Map::put);
        // Axon's span factory reads the parent of the consumer's handling from the metadata's traceparent.
        return Optional.of(read.get().andMetaData(carrier));
    }
}
