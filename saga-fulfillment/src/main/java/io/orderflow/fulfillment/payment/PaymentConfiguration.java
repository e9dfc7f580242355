package io.orderflow.fulfillment.payment;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The payment provider's client, from {@code orderflow.payment.*}: the provider's URL (the local simulator's unless
 * {@code ORDERFLOW_PAYMENT_PROVIDER_URL} names another), timeouts and retries.
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
            @Value("${orderflow.payment.provider-url}") String providerUrl,
            @Value("${orderflow.payment.connect-timeout:1s}") Duration connectTimeout,
            @Value("${orderflow.payment.request-timeout:2s}") Duration requestTimeout,
            @Value("${orderflow.payment.attempts:3}") int attempts,
            @Value("${orderflow.payment.backoff:100ms}") Duration backoff) {
        return new PaymentProviderClient(providerUrl, connectTimeout, requestTimeout,
                new PaymentProviderClient.RetryPolicy(attempts, backoff, 2.0),
                paymentCircuitBreakers.circuitBreaker(PaymentProviderClient.BREAKER_NAME),
                paymentCircuitBreakers.circuitBreaker(PaymentProviderClient.BREAKER_NAME + "-status"));
    }
}
