package io.orderflow.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;

/**
 * The bulkhead between the API's requests and the event processors: both take their database connections from one
 * pool, and without a bound a burst of requests could take them all, so that the processors' connection requests
 * time out and projections, fulfillment and notifications stop. At most
 * {@code orderflow.api.max-concurrent-requests} API requests (default 32, of a pool of 64) are handled at once (a
 * Resilience4j semaphore bulkhead); one more waits up to half a second for a place and is then answered 503 with
 * Retry-After, without touching the database. A read that waits for a version ({@link ReadYourWrites}) gives its
 * place back while it waits.
 */
public class RequestBulkhead extends OncePerRequestFilter {

    private final Bulkhead bulkhead;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    RequestBulkhead(int maxConcurrent, ObjectMapper json, MeterRegistry meters) {
        this.bulkhead = Bulkhead.of("api-requests", BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ofMillis(500))
                .build());
        this.json = json;
        this.meters = meters;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!bulkhead.tryAcquirePermission()) {
            meters.counter("orderflow.api.requests.refused", "reason", "busy").increment();
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "overloaded",
                    "Busy", "the server handles as many requests as it may at once; retry in a second"));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            bulkhead.onComplete();
        }
    }
}
