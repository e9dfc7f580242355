package io.orderflow.gateway.web;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.api.ProjectionRebuilds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells a client that the data it reads comes from a projection being rebuilt (ADR 0010): the answer is the data
 * from before the rebuild, complete but not updated since, and carries {@code X-Orderflow-Rebuilding} with the
 * projection's name and {@code X-Orderflow-Stale: true}.
 */
@Component
class RebuildNoticeFilter extends OncePerRequestFilter {

    static final String REBUILDING_HEADER = "X-Orderflow-Rebuilding";

    /** Which projection answers which reads. */
    private static final List<Map.Entry<Pattern, String>> READS = List.of(
            Map.entry(Pattern.compile("/api/orders/[^/]+"), ProjectionProcessors.ORDER_SUMMARY),
            Map.entry(Pattern.compile("/api/customers/[^/]+/orders"), ProjectionProcessors.ORDER_SUMMARY),
            Map.entry(Pattern.compile("/api/customers/[^/]+"), ProjectionProcessors.CUSTOMER_PROFILE),
            Map.entry(Pattern.compile("/api/analytics/.*"), ProjectionProcessors.ANALYTICS));

    private final ProjectionRebuilds rebuilds;

    RebuildNoticeFilter(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        projectionRead(request.getRequestURI()).filter(this::rebuilding).ifPresent(projection -> {
            response.setHeader(REBUILDING_HEADER, projection);
            response.setHeader(ReadYourWrites.STALE_HEADER, "true");
        });
        chain.doFilter(request, response);
    }

    /** The projection that answers a read of this path, if a projection does. */
    static Optional<String> projectionRead(String path) {
        return READS.stream().filter(read -> read.getKey().matcher(path).matches()).map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * Asked on every read (one primary-key lookup): a notice cached even briefly would let a read that follows a
     * replay's start present the old data as current.
     */
    private boolean rebuilding(String projection) {
        return rebuilds.rebuildOf(projection).isPresent();
    }
}
