package io.orderflow.console.admin;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.wiring.tracing.RecentSpans;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One trace's spans as a waterfall ({@code GET /api/admin/traces/{traceId}/spans}, ADR 0045): every sampled span
 * this instance recorded for it ({@link RecentSpans}), with its start relative to the trace's first span, its
 * length in milliseconds, its depth under its parent, and for a Kafka receive span the time the record waited in
 * its topic.
 */
@RestController
class SpansController {

    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final Pattern W3C_FORM = Pattern.compile("[0-9a-fA-F]{32}");
    private static final AttributeKey<String> TOPIC = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<Long> WAIT = AttributeKey.longKey("orderflow.kafka.wait_ms");

    private final ObjectProvider<RecentSpans> recent;

    SpansController(ObjectProvider<RecentSpans> recent) {
        this.recent = recent;
    }

    /** One span of the waterfall. */
    record SpanView(String spanId, @Schema(nullable = true) String parentSpanId, String name, String kind, int depth,
                    Instant startedAt, double offsetMs, double durationMs, boolean error,
                    @Schema(nullable = true) String topic, @Schema(nullable = true) Long waitInTopicMs) {
    }

    /**
     * The trace's spans as a tree: each span after its parent, a parent's children (and the spans whose parent this
     * instance does not hold) in the order they started. A Kafka receive span starts at its record's timestamp, in
     * whole milliseconds, so it may start a fraction of a millisecond before the publish span it is a child of.
     *
     * @param recorded false when this instance holds none of it: tracing off, the trace not sampled, or its spans
     *                 gone from memory (they stay in the trace backend)
     */
    record Waterfall(String traceId, String w3cTraceId, boolean recorded, double durationMs, List<SpanView> spans) {
    }

    @Operation(operationId = "getTraceSpans", summary = "Get one trace's spans as a waterfall",
            description = "The sampled spans this instance recorded for the trace, in the order they started, with "
                    + "millisecond timings and, for a Kafka receive span, the time the record waited in its topic. "
                    + "The trace id is the API's (a UUID, X-Trace-Id) or the same id as 32 hex digits.")
    @ApiResponse(responseCode = "200", description = "The waterfall; without spans when none is held")
    @ApiResponse(responseCode = "400", description = "The trace id is neither a UUID nor 32 hex digits")
    @GetMapping(path = "/api/admin/traces/{traceId}/spans", produces = MediaType.APPLICATION_JSON_VALUE)
    Waterfall spans(@PathVariable String traceId) {
        RequestFields fields = new RequestFields();
        if (!UUID_FORM.matcher(traceId).matches() && !W3C_FORM.matcher(traceId).matches()) {
            fields.reject("traceId", "must be a UUID or 32 hex digits");
        }
        fields.throwIfInvalid();
        String hex = traceId.replace("-", "").toLowerCase(Locale.ROOT);
        String uuid = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
        RecentSpans spans = recent.getIfAvailable();
        List<SpanData> held = spans == null ? List.of() : spans.trace(hex);
        return waterfall(uuid, hex, held);
    }

    static Waterfall waterfall(String uuid, String hex, List<SpanData> held) {
        if (held.isEmpty()) {
            return new Waterfall(uuid, hex, false, 0, List.of());
        }
        List<SpanData> ordered = held.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)
                .thenComparingLong(SpanData::getEndEpochNanos)).toList();
        long start = ordered.get(0).getStartEpochNanos();
        long end = ordered.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(start);
        Set<String> ids = new HashSet<>();
        ordered.forEach(span -> ids.add(span.getSpanId()));
        Map<String, List<SpanData>> children = new HashMap<>();
        List<SpanData> roots = new ArrayList<>();
        for (SpanData span : ordered) {
            String parent = span.getParentSpanContext().isValid() ? span.getParentSpanId() : null;
            if (parent == null || !ids.contains(parent) || parent.equals(span.getSpanId())) {
                roots.add(span);
            } else {
                children.computeIfAbsent(parent, id -> new ArrayList<>()).add(span);
            }
        }
        List<SpanView> views = new ArrayList<>();
        Set<String> drawn = new HashSet<>();
        for (SpanData root : roots) {
            draw(root, 0, start, children, drawn, views);
        }
        return new Waterfall(uuid, hex, true, millis(end - start), views);
    }

    /** The span, then its children depth first; each span once, even in a malformed trace with a cycle. */
    private static void draw(SpanData span, int depth, long start, Map<String, List<SpanData>> children,
                             Set<String> drawn, List<SpanView> views) {
        if (!drawn.add(span.getSpanId())) {
            return;
        }
        views.add(new SpanView(span.getSpanId(), span.getParentSpanContext().isValid() ? span.getParentSpanId() : null,
                span.getName(), span.getKind().name(), depth, Instant.ofEpochSecond(0, span.getStartEpochNanos()),
                millis(span.getStartEpochNanos() - start), millis(span.getEndEpochNanos() - span.getStartEpochNanos()),
                span.getStatus().getStatusCode() == StatusCode.ERROR, span.getAttributes().get(TOPIC),
                span.getAttributes().get(WAIT)));
        for (SpanData child : children.getOrDefault(span.getSpanId(), List.of())) {
            draw(child, depth + 1, start, children, drawn, views);
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
