package io.orderflow.fulfillment.payment;

import io.orderflow.fulfillment.settings.PaymentProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.java11.instrument.binder.jdk.MicrometerHttpClient;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payment provider's client, from {@code orderflow.payment.*} ({@link PaymentProperties}): the provider's URL (the
 * local simulator's unless {@code ORDERFLOW_PAYMENT_PROVIDER_URL} names another), timeouts and retries.
 */
@Configuration(proxyBeanMethods = false)
class PaymentConfiguration {

    /** The provider's circuit breakers, in a registry so that the application reports them as metrics. */
    @Bean
    CircuitBreakerRegistry paymentCircuitBreakers() {
        return CircuitBreakerRegistry.of(PaymentProviderClient.defaultCircuitBreakerConfig());
    }

    @Bean
    PaymentProviderClient paymentProviderClient(CircuitBreakerRegistry paymentCircuitBreakers,
            ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations,
            PaymentProperties settings) {
        return new PaymentProviderClient(settings.providerUrl(), settings.connectTimeout(), settings.requestTimeout(),
                new PaymentProviderClient.RetryPolicy(settings.attempts(), settings.backoff(), 2.0),
                paymentCircuitBreakers.circuitBreaker(PaymentProviderClient.BREAKER_NAME),
                paymentCircuitBreakers.circuitBreaker(PaymentProviderClient.BREAKER_NAME + "-status"),
                // Every call observed: a client span in the order's trace, with its traceparent sent to the provider,
                // and http.client.requests timed (ADR 0045).
                http -> MicrometerHttpClient.instrumentationBuilder(http,
                                meters.getIfAvailable(SimpleMeterRegistry::new))
                        .observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP))
                        .build());
    }
}
