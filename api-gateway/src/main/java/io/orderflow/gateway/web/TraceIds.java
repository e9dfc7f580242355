package io.orderflow.gateway.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.orderflow.wiring.axon.TraceMetadata;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The trace id that follows one request through commands, events, Kafka records and the saga. The system makes
 * its own for every request and answers it in {@code X-Trace-Id}, errors included; a controller reads it as the
 * request attribute {@link #ATTRIBUTE}.
 *
 * <p>A client may name its own id for the request ({@code X-Client-Trace-Id}, or {@code X-Trace-Id} as before;
 * 8 to 64 letters, digits, '.', '_' or '-'). It is kept beside the system's, as {@code clientTraceId} in the
 * metadata of the commands and events that follow, and answered back in {@code X-Client-Trace-Id}; it is never
 * used as the system's own, so no client can join its events to another's trace or swell one trace with many
 * requests. Anything not of that form is dropped.
 *
 * <p>With tracing on (ADR 0045), the system's trace id is the request's OpenTelemetry trace id written as a UUID
 * (the same 32 hex digits), so the id a client is answered, the one in the logs and on the Kafka records, and the
 * one a trace backend shows are one id. The filter therefore runs just after Boot's HTTP observation filter, which
 * opens the request's span; without tracing, the id is a random UUID as before. The request's span is never a child
 * of a {@code traceparent} the client sent ({@code management.tracing.propagation.consume} is empty), for the same
 * reason as above.
 */
@Component
@Order(TraceIds.ORDER)
public final class TraceIds extends OncePerRequestFilter {

    /** After Boot's {@code ServerHttpObservationFilter} ({@code HIGHEST_PRECEDENCE + 1}), before everything else. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    public static final String HEADER = "X-Trace-Id";
    public static final String CLIENT_HEADER = "X-Client-Trace-Id";
    public static final String ATTRIBUTE = "orderflow.traceId";
    public static final String CLIENT_ATTRIBUTE = "orderflow.clientTraceId";
    /** The metadata key of the client's trace id on commands and events. */
    public static final String CLIENT_METADATA = TraceMetadata.CLIENT_TRACE_ID;
    public static final String FORMAT = "[A-Za-z0-9._-]{8,64}";
    /** The logging context's key of the trace id, as the message handlers' (OrderLogContext). */
    static final String LOG_KEY = "traceId";
    private static final Pattern ACCEPTABLE = Pattern.compile(FORMAT);
    private static final Pattern HEX_TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    private final ObjectProvider<Tracer> tracer;

    public TraceIds(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = traceIdOf(tracer.getIfAvailable());
        request.setAttribute(ATTRIBUTE, traceId);
        response.setHeader(HEADER, traceId);
        clientsOwn(request.getHeader(CLIENT_HEADER), request.getHeader(HEADER)).ifPresent(client -> {
            request.setAttribute(CLIENT_ATTRIBUTE, client);
            response.setHeader(CLIENT_HEADER, client);
        });
        // The request's log lines carry its trace id (a JSON field in production, docs/operations/logs.md).
        String outer = MDC.get(LOG_KEY);
        MDC.put(LOG_KEY, traceId);
        try {
            chain.doFilter(request, response);
        } finally {
            if (outer == null) {
                MDC.remove(LOG_KEY);
            } else {
                MDC.put(LOG_KEY, outer);
            }
        }
    }

    /** The current span's trace id as a UUID, or a random UUID when there is no span (tracing off). */
    static String traceIdOf(Tracer tracer) {
        Span span = tracer == null ? null : tracer.currentSpan();
        String hex = span == null ? null : span.context().traceId();
        if (hex == null || !HEX_TRACE_ID.matcher(hex).matches() || hex.equals("0".repeat(32))) {
            return UUID.randomUUID().toString();
        }
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    /** The client's own trace id: the dedicated header's, else the one sent as X-Trace-Id; if of the form. */
    static Optional<String> clientsOwn(String clientHeader, String traceHeader) {
        for (String candidate : new String[] {clientHeader, traceHeader}) {
            if (candidate != null && ACCEPTABLE.matcher(candidate).matches()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The client's trace id of the request being handled on this thread, if it sent one. */
    public static Optional<String> currentClientTraceId() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object client = request == null ? null
                : request.getAttribute(CLIENT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return Optional.ofNullable(client).map(Object::toString);
    }
}
