package io.orderflow.gateway.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class TraceIdsTest {

    @Test
    void theSystemsTraceIdIsTheRequestSpansTraceId_writtenAsAUuid() {
        assertThat(TraceIds.traceIdOf(tracerIn("4bf92f3577b34da6a3ce929d0e0e4736")))
                .isEqualTo("4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
    }

    @Test
    void withoutASpan_orWithoutTracing_itIsARandomUuid() {
        Tracer noSpan = mock(Tracer.class);
        String[] ids = {TraceIds.traceIdOf(null), TraceIds.traceIdOf(noSpan),
                TraceIds.traceIdOf(tracerIn("0".repeat(32))), TraceIds.traceIdOf(tracerIn("not hex"))};
        for (String id : ids) {
            assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        }
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("00000000-0000-0000-0000-000000000000");
    }

    @Test
    void aClientsOwnIdIsKeptBesideTheSystems_onlyInItsForm() {
        assertThat(TraceIds.clientsOwn("shop-order-12345", null)).contains("shop-order-12345");
        assertThat(TraceIds.clientsOwn(null, "legacy-trace-1")).contains("legacy-trace-1");
        assertThat(TraceIds.clientsOwn("no spaces allowed", "short")).isEmpty();
    }

    private static Tracer tracerIn(String traceId) {
        Tracer tracer = mock(Tracer.class);
        Span span = mock(Span.class);
        TraceContext context = mock(TraceContext.class);
        when(tracer.currentSpan()).thenReturn(span);
        when(span.context()).thenReturn(context);
        when(context.traceId()).thenReturn(traceId);
        return tracer;
    }
}
