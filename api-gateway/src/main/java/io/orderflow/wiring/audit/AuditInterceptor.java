package io.orderflow.wiring.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;

/**
 * Writes every call of an {@link Audited} handler to the {@link AuditLog} once it has been answered: the caller
 * (the token's subject, or the operator signed in to the dashboard), the action, the path, and the answer's status
 * (an action refused as a bad request is recorded as such). The entry is written after the action's own
 * transaction; if it cannot be written, the failure is logged as an error naming the action.
 */
@Configuration(proxyBeanMethods = false)
class AuditInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);
    static final String TRACE_ATTRIBUTE = "orderflow.traceId";

    private final AuditLog log;
    private final Clock clock;

    AuditInterceptor(AuditLog log) {
        this.log = log;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception exception) {
        if (!(handler instanceof HandlerMethod method) || !method.hasMethodAnnotation(Audited.class)) {
            return;
        }
        String action = method.getMethodAnnotation(Audited.class).value();
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        String actor = caller == null ? "anonymous" : caller.getName();
        int status = exception != null && response.getStatus() < 400 ? 500 : response.getStatus();
        String outcome = status < 400 ? "done" : "refused with " + status;
        String target = request.getMethod() + " " + request.getRequestURI();
        Object traceId = request.getAttribute(TRACE_ATTRIBUTE);
        try {
            log.append(clock.instant(), actor, action, target, status, outcome,
                    traceId == null ? null : traceId.toString());
        } catch (RuntimeException e) {
            LOG.error("Operator action {} by {} on {} ({}) could not be written to the audit log", action, actor,
                    target, outcome, e);
        }
    }
}
