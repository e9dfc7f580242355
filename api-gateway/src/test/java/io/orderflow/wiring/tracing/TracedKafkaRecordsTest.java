package io.orderflow.wiring.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TracedKafkaRecordsTest {

    private static final String TOPIC = "orderflow.order-events";
    private static final String DERIVED = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final Tracer tracer = provider.get("test");
    private final TracedKafkaRecords records = new TracedKafkaRecords(new Plain(), tracer, Duration.ofMinutes(2),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aRecordWrittenInATrace_namesItsProducerSpanInTraceparent() {
        Span forwarding = tracer.spanBuilder("forwarding").startSpan();
        ProducerRecord<String, byte[]> record;
        try (Scope ignored = forwarding.makeCurrent()) {
            record = records.createKafkaMessage(GenericEventMessage.asEventMessage("accepted"), TOPIC);
        } finally {
            forwarding.end();
        }
        SpanData publish = only(SpanKind.PRODUCER);
        assertThat(publish.getName()).isEqualTo(TOPIC + " publish");
        assertThat(publish.getParentSpanId()).isEqualTo(forwarding.getSpanContext().getSpanId());
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(TOPIC);
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("orderflow.event.type"))).isEqualTo("String");
        assertThat(traceparent(record.headers())).isEqualTo("00-" + publish.getTraceId() + "-" + publish.getSpanId()
                + "-01");
    }

    @Test
    void aRecordWrittenOutsideATrace_keepsTheDerivedTraceparent_andMakesNoSpan() {
        ProducerRecord<String, byte[]> record = records.createKafkaMessage(
                GenericEventMessage.asEventMessage("accepted"), TOPIC);
        assertThat(traceparent(record.headers())).isEqualTo(DERIVED);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void aRecordRead_getsAReceiveSpanUnderItsProducer_aslongAsItWaitedInTheTopic_andItsEventCarriesIt() {
        String producer = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        long written = NOW.toEpochMilli() - 40;
        EventMessage<?> event = records.readKafkaMessage(record(written, producer)).orElseThrow();
        SpanData receive = only(SpanKind.CONSUMER);
        assertThat(receive.getName()).isEqualTo(TOPIC + " receive");
        assertThat(receive.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(receive.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(receive.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(written));
        assertThat(receive.getEndEpochNanos() - receive.getStartEpochNanos())
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(receive.getAttributes().get(AttributeKey.longKey(
                TracedKafkaRecords.WAIT_ATTRIBUTE))).isEqualTo(40L);
        assertThat(event.getMetaData().get("traceparent"))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-" + receive.getSpanId() + "-01");
    }

    @Test
    void aRecordReadLongAfterItWasWritten_orWithoutTraceparent_getsNoSpan_andItsEventIsAsRead() {
        String producer = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        EventMessage<?> old = records.readKafkaMessage(record(NOW.toEpochMilli() - Duration.ofMinutes(3).toMillis(),
                producer)).orElseThrow();
        EventMessage<?> untraced = records.readKafkaMessage(record(NOW.toEpochMilli() - 40, null)).orElseThrow();
        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(old.getMetaData()).doesNotContainKey("traceparent");
        assertThat(untraced.getMetaData()).doesNotContainKey("traceparent");
    }

    private SpanData only(SpanKind kind) {
        List<SpanData> spans = exported.getFinishedSpanItems().stream().filter(span -> span.getKind() == kind)
                .toList();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private static ConsumerRecord<String, byte[]> record(long timestamp, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(TOPIC, 1, 42L, timestamp, TimestampType.CREATE_TIME, 0, 0, "order-1",
                new byte[0], headers, Optional.empty());
    }

    private static String traceparent(org.apache.kafka.common.header.Headers headers) {
        return new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
    }

    /** Writes a record with the derived traceparent, as the CloudEvents converter does; reads any as one event. */
    private static final class Plain implements KafkaMessageConverter<String, byte[]> {
        @Override
        public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "order-1", new byte[0]);
            record.headers().add("traceparent", DERIVED.getBytes(StandardCharsets.UTF_8));
            return record;
        }

        @Override
        public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> consumerRecord) {
            return Optional.of(GenericEventMessage.asEventMessage("read"));
        }
    }
}
