package io.orderflow.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBulkheadTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RequestBulkhead bulkhead = new RequestBulkhead(1, new ObjectMapper(), meters);

    @Test
    void aRequestBeyondTheLimit_waitsBriefly_thenIs503WithRetryAfter_andAPlaceFreedIsTakenAgain() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                bulkhead.doFilter(new MockHttpServletRequest("GET", "/api/orders/1"), new MockHttpServletResponse(),
                        (request, response) -> {
                            inside.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        MockHttpServletResponse refused = new MockHttpServletResponse();
        long started = System.nanoTime();
        bulkhead.doFilter(new MockHttpServletRequest("GET", "/api/orders/2"), refused,
                (request, response) -> ((MockHttpServletResponse) response).setStatus(200));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString()).contains("/problems/overloaded");
        assertThat(waitedMillis).as("waited for a place").isBetween(400L, 3000L);
        assertThat(meters.counter("orderflow.api.requests.refused", "reason", "busy").count()).isEqualTo(1);

        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        MockHttpServletResponse served = new MockHttpServletResponse();
        bulkhead.doFilter(new MockHttpServletRequest("GET", "/api/orders/3"), served,
                (request, response) -> ((MockHttpServletResponse) response).setStatus(200));
        assertThat(served.getStatus()).isEqualTo(200);
    }

    @Test
    void pathsOutsideTheApi_areNotCounted() throws Exception {
        MockHttpServletRequest probe = new MockHttpServletRequest("GET", "/actuator/health/liveness");
        probe.setRequestURI("/actuator/health/liveness");
        assertThat(bulkhead.shouldNotFilter(probe)).isTrue();
    }
}
