package io.orderflow.console.admin;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.orderflow.console.admin.SpansController.SpanView;
import io.orderflow.console.admin.SpansController.Waterfall;
import io.orderflow.wiring.tracing.RecentSpans;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpansControllerTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_780_000_000_000L * MS;

    @Test
    void aTraceIsDrawnInTheOrderItsSpansStarted_withDepthOffsetLengthAndTheTimeInTheTopic() {
        List<SpanData> held = List.of(
                span("b000000000000002", "b000000000000001", "orderflow.order-events receive", SpanKind.CONSUMER,
                        30, 42, Attributes.of(AttributeKey.stringKey("messaging.destination.name"),
                                "orderflow.order-events", AttributeKey.longKey("orderflow.kafka.wait_ms"), 12L), false),
                span("a000000000000001", null, "http post /api/orders", SpanKind.SERVER, 0, 25, Attributes.empty(),
                        false),
                span("b000000000000001", "a000000000000001", "orderflow.order-events publish", SpanKind.PRODUCER,
                        20, 20, Attributes.empty(), false),
                span("c000000000000001", "b000000000000002", "StreamingEventProcessor.process", SpanKind.CONSUMER,
                        45, 60, Attributes.empty(), true));
        Waterfall waterfall = SpansController.waterfall("4bf92f35-77b3-4da6-a3ce-929d0e0e4736", TRACE, held);
        assertThat(waterfall.recorded()).isTrue();
        assertThat(waterfall.durationMs()).isEqualTo(60.0);
        assertThat(waterfall.spans()).extracting(SpanView::name).containsExactly("http post /api/orders",
                "orderflow.order-events publish", "orderflow.order-events receive", "StreamingEventProcessor.process");
        assertThat(waterfall.spans()).extracting(SpanView::depth).containsExactly(0, 1, 2, 3);
        SpanView receive = waterfall.spans().get(2);
        assertThat(receive.offsetMs()).isEqualTo(30.0);
        assertThat(receive.durationMs()).isEqualTo(12.0);
        assertThat(receive.waitInTopicMs()).isEqualTo(12L);
        assertThat(receive.topic()).isEqualTo("orderflow.order-events");
        assertThat(receive.parentSpanId()).isEqualTo("b000000000000001");
        assertThat(waterfall.spans().get(0).parentSpanId()).isNull();
        assertThat(waterfall.spans().get(3).error()).isTrue();
    }

    @Test
    void aChildIsDrawnAfterItsParent_evenWhenItStartedAFractionOfAMillisecondBefore() {
        List<SpanData> held = List.of(
                span("b000000000000002", "b000000000000001", "orderflow.order-events receive", SpanKind.CONSUMER,
                        20, 30, Attributes.empty(), false),
                span("b000000000000001", "a000000000000001", "orderflow.order-events publish", SpanKind.PRODUCER,
                        21, 21, Attributes.empty(), false),
                span("a000000000000001", null, "forwarding", SpanKind.CONSUMER, 0, 25, Attributes.empty(), false),
                span("d000000000000001", "f000000000000009", "parent on another instance", SpanKind.INTERNAL,
                        5, 6, Attributes.empty(), false));
        Waterfall waterfall = SpansController.waterfall("4bf92f35-77b3-4da6-a3ce-929d0e0e4736", TRACE, held);
        assertThat(waterfall.spans()).extracting(SpanView::name).containsExactly("forwarding",
                "orderflow.order-events publish", "orderflow.order-events receive", "parent on another instance");
        assertThat(waterfall.spans()).extracting(SpanView::depth).containsExactly(0, 1, 2, 0);
    }

    @Test
    void takesTheApisUuidOrTheW3cForm_andRefusesAnythingElse() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("recent", new RecentSpans(10));
        SpansController controller = new SpansController(beans.getBeanProvider(RecentSpans.class));
        Waterfall byUuid = controller.spans("4BF92F35-77B3-4DA6-A3CE-929D0E0E4736");
        assertThat(byUuid.w3cTraceId()).isEqualTo(TRACE);
        assertThat(byUuid.traceId()).isEqualTo("4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
        assertThat(byUuid.recorded()).isFalse();
        assertThat(controller.spans(TRACE).traceId()).isEqualTo("4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
        assertThatThrownBy(() -> controller.spans("not-a-trace")).hasMessageContaining("traceId");
        assertThatThrownBy(() -> controller.spans(TRACE + "00")).hasMessageContaining("traceId");
    }

    private static SpanData span(String id, String parent, String name, SpanKind kind, long startMs, long endMs,
                                 Attributes attributes, boolean error) {
        return TestSpanData.builder()
                .setSpanContext(SpanContext.create(TRACE, id, TraceFlags.getSampled(), TraceState.getDefault()))
                .setParentSpanContext(parent == null ? SpanContext.getInvalid()
                        : SpanContext.create(TRACE, parent, TraceFlags.getSampled(), TraceState.getDefault()))
                .setName(name).setKind(kind).setStartEpochNanos(T0 + startMs * MS).setEndEpochNanos(T0 + endMs * MS)
                .setAttributes(attributes).setHasEnded(true)
                .setStatus(error ? StatusData.error() : StatusData.unset()).build();
    }
}
