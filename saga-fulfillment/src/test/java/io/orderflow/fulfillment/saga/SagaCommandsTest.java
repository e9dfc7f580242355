package io.orderflow.fulfillment.saga;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class SagaCommandsTest {

    @Test
    void aCommandSentFromASagaStep_isSentOnItsOwnThread_inTheStepsTrace() throws Exception {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()) {
            Tracer tracer = provider.get("test");
            CommandGateway gateway = mock(CommandGateway.class);
            AtomicReference<SpanContext> sentIn = new AtomicReference<>();
            AtomicReference<Thread> sentOn = new AtomicReference<>();
            when(gateway.sendAndWait(any())).thenAnswer(call -> {
                sentIn.set(Span.current().getSpanContext());
                sentOn.set(Thread.currentThread());
                return "done";
            });
            SagaCommands commands = new SagaCommands(gateway, executor, Duration.ofSeconds(5),
                    OpenTelemetrySpanFactory.builder().tracer(tracer)
                            .contextPropagators(W3CTraceContextPropagator.getInstance()).build());

            Span step = tracer.spanBuilder("saga step").startSpan();
            Object answer;
            try (Scope ignored = step.makeCurrent()) {
                answer = commands.send(new ReserveStock("order-1"));
            } finally {
                step.end();
            }

            assertThat(answer).isEqualTo("done");
            assertThat(sentOn.get()).isNotSameAs(Thread.currentThread());
            assertThat(sentIn.get().getTraceId()).isEqualTo(step.getSpanContext().getTraceId());
            SpanData sending = exported.getFinishedSpanItems().stream()
                    .filter(span -> span.getName().startsWith("SagaCommands.send(ReserveStock)")).findFirst()
                    .orElseThrow();
            assertThat(sending.getParentSpanId()).isEqualTo(step.getSpanContext().getSpanId());
            assertThat(sentIn.get().getSpanId()).isEqualTo(sending.getSpanId());
        } finally {
            executor.shutdownNow();
        }
    }

    private record ReserveStock(String orderId) {
    }
}
