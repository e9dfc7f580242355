package io.orderflow.fulfillment.saga;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The fulfillment saga's waits and retries, from {@code orderflow.fulfillment.*}.
 *
 * @param addressWait           how long an order waits for its customer's address version before it fails
 *                              {@code ADDRESS_UNAVAILABLE}
 * @param paymentAttempts       how many times the saga asks for an authorization (each with the client's own
 *                              retries) before it gives up
 * @param paymentRetryDelay     the pause before the second attempt; it grows linearly with the attempt
 * @param stuckRetryDelay       how often a stuck saga tries again (payment outcome unknown, compensation refused)
 */
@Component
public record FulfillmentSettings(
        @Value("${orderflow.fulfillment.address-wait:15m}") Duration addressWait,
        @Value("${orderflow.fulfillment.payment-attempts:3}") int paymentAttempts,
        @Value("${orderflow.fulfillment.payment-retry-delay:2s}") Duration paymentRetryDelay,
        @Value("${orderflow.fulfillment.stuck-retry-delay:30s}") Duration stuckRetryDelay) {

    public FulfillmentSettings {
        if (paymentAttempts < 1) {
            throw new IllegalArgumentException("orderflow.fulfillment.payment-attempts must be at least 1");
        }
    }
}
