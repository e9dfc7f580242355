package io.orderflow.wiring.tracing;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * orderflow's own tracing settings ({@code orderflow.tracing.*}). Sampling, propagation and the OTLP export are
 * Spring Boot's ({@code management.tracing.*}, {@code management.otlp.tracing.*}, docs/operations/tracing.md).
 *
 * @param recentSpans      how many sampled spans the instance keeps in memory for the dashboard's waterfall, the
 *                         oldest traces going first; 0 keeps none
 * @param receiveSpanLimit a Kafka record older than this when it is read (a replay, a consumer far behind) gets no
 *                         span for its time in the topic, and its handling is linked to its trace rather than put
 *                         in it: as Axon's {@code axon.tracing.event-processor.distributed-in-same-trace-time-limit}
 */
@ConfigurationProperties("orderflow.tracing")
@Validated
public record TracingProperties(@DefaultValue("20000") @Min(0) int recentSpans,
                                @DefaultValue("2m") @NotNull @DurationMin(millis = 1) Duration receiveSpanLimit) {

    /** The log context's key of the current span's trace id in W3C form (32 hex digits). */
    public static final String LOG_W3C_TRACE_ID = "w3cTraceId";
    /** The log context's key of the current span's id. */
    public static final String LOG_SPAN_ID = "spanId";
}
