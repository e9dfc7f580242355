package io.orderflow.wiring.tracing;

import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.tracing.ConditionalOnEnabledTracing;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One checkout is one trace (ADR 0045). Spring Boot's Micrometer Tracing on the OpenTelemetry SDK traces the HTTP
 * requests and the provider's calls; Axon's span factory, on the same SDK, traces the commands, the events' append,
 * every processor's handling and the sagas; {@link TracedKafkaRecords} adds a span where a record is written and
 * one for its time in the topic, linked by the record's W3C {@code traceparent}. Spans go to an OTLP collector when
 * {@code management.otlp.tracing.endpoint} is set, and the sampled ones of the last minutes stay in memory for the
 * dashboard's waterfall ({@link RecentSpans}).
 *
 * <p>With {@code management.tracing.enabled=false}, Axon's spans are off too and the records' {@code traceparent}
 * is derived from the trace id as before.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TracingProperties.class)
class TracingConfiguration {

    /** The instrumentation scopes a trace backend shows: Axon's spans, and the Kafka hops' of TracedKafkaRecords. */
    static final String AXON_SCOPE = "org.axonframework";
    static final String KAFKA_SCOPE = "io.orderflow.kafka";

    /**
     * Axon's spans on Boot's SDK. Axon's own auto-configuration would use OpenTelemetry's global instance, which
     * Boot does not set. The context travels in the messages' metadata as W3C Trace Context, whatever the HTTP
     * side accepts ({@code management.tracing.propagation}).
     */
    @Bean
    @ConditionalOnEnabledTracing
    SpanFactory axonSpanFactory(OpenTelemetry openTelemetry) {
        return OpenTelemetrySpanFactory.builder()
                .tracer(openTelemetry.getTracer(AXON_SCOPE))
                .contextPropagators(W3CTraceContextPropagator.getInstance())
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "management.tracing.enabled", havingValue = "false")
    SpanFactory noAxonSpans() {
        return NoOpSpanFactory.INSTANCE;
    }

    /**
     * The log lines' {@code traceId} stays the API's (a UUID, {@code TraceIds} and {@code OrderLogContext}); the
     * current span's ids go beside it as {@code w3cTraceId} (the same id as 32 hex digits, as trace backends search
     * it) and {@code spanId}. Boot's default listener would overwrite {@code traceId} with the hex form and remove
     * it whenever a span closes.
     */
    @Bean
    @ConditionalOnEnabledTracing
    Slf4JEventListener otelSlf4JEventListener() {
        return new Slf4JEventListener(TracingProperties.LOG_W3C_TRACE_ID, TracingProperties.LOG_SPAN_ID);
    }

    @Bean
    @ConditionalOnEnabledTracing
    RecentSpans recentSpans(TracingProperties properties) {
        return new RecentSpans(properties.recentSpans());
    }

    /** The Kafka records' converter, written and read within spans ({@link TracedKafkaRecords}). */
    @Bean
    @ConditionalOnEnabledTracing
    static BeanPostProcessor tracedKafkaRecords(ObjectProvider<OpenTelemetry> openTelemetry,
                                                ObjectProvider<TracingProperties> properties) {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof KafkaMessageConverter<?, ?> converter && !(bean instanceof TracedKafkaRecords)) {
                    return new TracedKafkaRecords((KafkaMessageConverter<String, byte[]>) converter,
                            openTelemetry.getObject().getTracer(KAFKA_SCOPE),
                            properties.getObject().receiveSpanLimit());
                }
                return bean;
            }
        };
    }
}
