package io.orderflow.wiring.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics of libraries that do not report to Micrometer by themselves. The flow's own gauges are in
 * {@code FlowMetrics}, the order latencies in {@code OrderLatencies}, Axon's processors and buses through its
 * auto-configuration ({@code axon.metrics.micrometer.dimensional}), requests, the JVM and the pools through Spring
 * Boot's; the names and the alerts on them are in docs/operations/metrics.md.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /**
     * The payment provider's circuit breakers (authorizations and voids; status checks), by resilience4j's own
     * binder: {@code resilience4j_circuitbreaker_state}, {@code ..._calls_seconds}, {@code ..._failure_rate} and
     * {@code ..._not_permitted_calls_total}, tagged with the breaker's name.
     */
    @Bean
    MeterBinder paymentCircuitBreakerMetrics(CircuitBreakerRegistry paymentCircuitBreakers) {
        return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(paymentCircuitBreakers);
    }
}
