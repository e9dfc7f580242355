package io.orderflow.gateway.testkit.process;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An in-memory OTLP/HTTP trace receiver on 127.0.0.1, for the tests that follow a trace as a collector receives it:
 * an application points {@code MANAGEMENT_OTLP_TRACING_ENDPOINT} at {@link #endpoint()} and the receiver keeps
 * every span it is sent.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span, its ids in hex. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
                               long startNanos, long endNanos, String scope, Map<String, String> attributes) {

        public double durationMs() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                receive(ExportTraceServiceRequest.parseFrom(body));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Where to export to: {@code http://127.0.0.1:<port>/v1/traces}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** The spans received so far of one trace (32 hex digits). */
    public List<ReceivedSpan> trace(String traceId) {
        synchronized (spans) {
            return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
        }
    }

    /** How many spans were received in all. */
    public int received() {
        synchronized (spans) {
            return spans.size();
        }
    }

    private void receive(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        List<ReceivedSpan> received = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    for (KeyValue attribute : span.getAttributesList()) {
                        attributes.put(attribute.getKey(), attribute.getValue().hasStringValue()
                                ? attribute.getValue().getStringValue() : attribute.getValue().toString().trim());
                    }
                    received.add(new ReceivedSpan(hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()),
                            span.getParentSpanId().isEmpty() ? null : hex.formatHex(span.getParentSpanId().toByteArray()),
                            span.getName(), span.getKind().name().replace("SPAN_KIND_", ""),
                            span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), scope.getScope().getName(),
                            attributes));
                }
            }
        }
        synchronized (spans) {
            spans.addAll(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
