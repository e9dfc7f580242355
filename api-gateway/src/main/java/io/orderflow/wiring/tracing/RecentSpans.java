package io.orderflow.wiring.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampled spans this instance ended lately, by trace, for the dashboard's waterfall ({@code GET
 * /api/admin/traces/{traceId}/spans}). A span processor beside the exporter's, so the dashboard works without a
 * trace backend, and a span is here the moment it ends. Bounded: past {@code capacity} spans the traces seen first
 * go first, whole. Only this instance's spans: with several instances, a trace's other hops are in the backend.
 */
public final class RecentSpans implements SpanProcessor {

    private final int capacity;
    /** Trace id (32 hex digits) to its spans, in the order the traces were first seen. */
    private final Map<String, List<SpanData>> traces = new LinkedHashMap<>();
    private int size;

    public RecentSpans(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (capacity == 0 || !span.getSpanContext().isSampled()) {
            return;
        }
        SpanData data = span.toSpanData();
        synchronized (traces) {
            traces.computeIfAbsent(data.getTraceId(), id -> new ArrayList<>()).add(data);
            size++;
            Iterator<List<SpanData>> oldest = traces.values().iterator();
            while (size > capacity && oldest.hasNext()) {
                size -= oldest.next().size();
                oldest.remove();
            }
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** The spans of the trace (32 lower-case hex digits) this instance still holds, in the order they ended. */
    public List<SpanData> trace(String w3cTraceId) {
        synchronized (traces) {
            List<SpanData> spans = traces.get(w3cTraceId);
            return spans == null ? List.of() : List.copyOf(spans);
        }
    }

    /** How many spans are held. */
    public int size() {
        synchronized (traces) {
            return size;
        }
    }

    @Override
    public CompletableResultCode shutdown() {
        synchronized (traces) {
            traces.clear();
            size = 0;
        }
        return CompletableResultCode.ofSuccess();
    }
}
