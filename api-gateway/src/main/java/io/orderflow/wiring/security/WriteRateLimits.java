package io.orderflow.wiring.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Per-caller rate limits on the API's writes (every method but GET, HEAD and OPTIONS under {@code /api/}), with
 * Resilience4j's rate limiter: each caller (the token's subject, or the signed-in operator) gets a number of writes
 * per second, customers fewer than the shop's and operators' machine clients. A write over the limit is answered
 * {@code 429} at once, with {@code Retry-After} in whole seconds until the caller's next permit, and changes
 * nothing. A caller's limiter is forgotten after ten quiet minutes, so the table stays as large as the set of
 * active callers (at most {@value #MAX_CALLERS}).
 *
 * <p>It runs after authorization, so a caller without a token or without the role is answered 401 or 403 as before,
 * and such requests spend no permit.
 */
final class WriteRateLimits extends OncePerRequestFilter {

    static final int MAX_CALLERS = 100_000;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Logger LOG = LoggerFactory.getLogger(WriteRateLimits.class);

    private final RateLimiterConfig customers;
    private final RateLimiterConfig others;
    private final MeterRegistry meters;
    private final Cache<String, RateLimiter> limiters = Caffeine.newBuilder()
            .maximumSize(MAX_CALLERS)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    WriteRateLimits(int customerWritesPerSecond, int otherWritesPerSecond, MeterRegistry meters) {
        this.customers = perSecond(customerWritesPerSecond);
        this.others = perSecond(otherWritesPerSecond);
        this.meters = meters;
    }

    private static RateLimiterConfig perSecond(int writes) {
        if (writes < 1) {
            throw new IllegalArgumentException("a rate limit must allow at least one write per second, not " + writes);
        }
        return RateLimiterConfig.custom()
                .limitForPeriod(writes)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                // Never wait for a permit: an answer now, and the caller retries when it says.
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return READS.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || caller instanceof AnonymousAuthenticationToken || !caller.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        boolean customer = isOnlyCustomer(caller);
        String kind = customer ? "customer" : "other";
        RateLimiter limiter = limiters.get(kind + ":" + caller.getName(),
                key -> RateLimiter.of(key, customer ? customers : others));
        if (limiter.acquirePermission()) {
            chain.doFilter(request, response);
            return;
        }
        // Whole seconds, rounded up: a client that waits that long finds a permit.
        long seconds = Math.max(1, (waitNanos(limiter) + 999_999_999L) / 1_000_000_000L);
        meters.counter("orderflow.api.rate.limited", "caller", kind).increment();
        LOG.debug("Write refused by the rate limit of {} ({}); retry after {} s", caller.getName(), kind, seconds);
        response.setHeader("Retry-After", Long.toString(seconds));
        ProblemAnswers.write(response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many writes",
                "more than " + (customer ? customers : others).getLimitForPeriod() + " writes per second by this "
                        + "caller; retry after " + seconds + " s");
    }

    /** Until the caller's next permit; the limiters made here are all Resilience4j's default, atomic one. */
    private static long waitNanos(RateLimiter limiter) {
        return limiter instanceof AtomicRateLimiter atomic ? Math.max(0, atomic.getDetailedMetrics().getNanosToWait())
                : 0;
    }

    /** A customer's token (and no other role): the stricter limit. */
    private static boolean isOnlyCustomer(Authentication caller) {
        boolean customer = false;
        for (var authority : caller.getAuthorities()) {
            String name = authority.getAuthority();
            if (name.equals("ROLE_" + Roles.OPERATOR) || name.equals("ROLE_" + Roles.SERVICE)) {
                return false;
            }
            customer |= name.equals("ROLE_" + Roles.CUSTOMER);
        }
        return customer;
    }
}
