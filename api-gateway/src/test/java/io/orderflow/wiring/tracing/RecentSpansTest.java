package io.orderflow.wiring.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecentSpansTest {

    @Test
    void keepsTheSampledSpansByTrace_andDropsTheTracesSeenFirstPastItsCapacity() {
        RecentSpans recent = new RecentSpans(3);
        try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(recent).build()) {
            Tracer tracer = provider.get("test");
            Span first = tracer.spanBuilder("first").startSpan();
            tracer.spanBuilder("first's child").setParent(Context.current().with(first)).startSpan().end();
            first.end();
            String firstTrace = first.getSpanContext().getTraceId();
            assertThat(recent.trace(firstTrace)).extracting(span -> span.getName())
                    .containsExactly("first's child", "first");

            Span second = tracer.spanBuilder("second").startSpan();
            second.end();
            assertThat(recent.size()).isEqualTo(3);
            Span third = tracer.spanBuilder("third").startSpan();
            third.end();
            assertThat(recent.trace(firstTrace)).as("the trace seen first, gone whole").isEmpty();
            assertThat(recent.trace(second.getSpanContext().getTraceId())).hasSize(1);
            assertThat(recent.trace(third.getSpanContext().getTraceId())).hasSize(1);
            assertThat(recent.size()).isEqualTo(2);
        }
    }

    @Test
    void keepsNoSpanOfATraceThatIsNotSampled_norAnyWithCapacityZero() {
        RecentSpans recent = new RecentSpans(10);
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
                .addSpanProcessor(recent).build()) {
            Span span = provider.get("test").spanBuilder("unsampled").startSpan();
            span.end();
            assertThat(recent.trace(span.getSpanContext().getTraceId())).isEmpty();
        }
        RecentSpans none = new RecentSpans(0);
        try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(none).build()) {
            provider.get("test").spanBuilder("kept nowhere").startSpan().end();
            assertThat(none.size()).isZero();
        }
        assertThatThrownBy(() -> new RecentSpans(-1)).hasMessageContaining("negative");
    }
}
