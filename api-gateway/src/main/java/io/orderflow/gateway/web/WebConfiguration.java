package io.orderflow.gateway.web;

import io.orderflow.wiring.settings.ApiProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The sources of time and identity, as beans so that tests can make them deterministic; and the request bulkhead.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    Supplier<UUID> idGenerator() {
        return UUID::randomUUID;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The request bulkhead, for the API's paths, after authentication (an unauthenticated request takes no place). */
    @Bean
    FilterRegistrationBean<RequestBulkhead> requestBulkhead(
            ApiProperties settings, ObjectMapper json, MeterRegistry meters) {
        FilterRegistrationBean<RequestBulkhead> registration = new FilterRegistrationBean<>(
                new RequestBulkhead(settings.maxConcurrentRequests(), json, meters));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }
}
