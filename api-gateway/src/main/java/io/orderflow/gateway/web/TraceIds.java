package io.orderflow.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The trace id that follows one client request through commands, events, Kafka records and the saga. A client
 * may bring its own in {@code X-Trace-Id} (8 to 64 letters, digits, '.', '_' or '-'; anything else is replaced);
 * otherwise one is made. Either way every answer carries it, errors included, and a controller reads it as the
 * request attribute {@link #ATTRIBUTE}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class TraceIds extends OncePerRequestFilter {

    public static final String HEADER = "X-Trace-Id";
    public static final String ATTRIBUTE = "orderflow.traceId";
    public static final String FORMAT = "[A-Za-z0-9._-]{8,64}";
    private static final Pattern ACCEPTABLE = Pattern.compile(FORMAT);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = fromHeaderOrNew(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, traceId);
        response.setHeader(HEADER, traceId);
        chain.doFilter(request, response);
    }

    static String fromHeaderOrNew(String header) {
        if (header != null && ACCEPTABLE.matcher(header).matches()) {
            return header;
        }
        return UUID.randomUUID().toString();
    }
}
