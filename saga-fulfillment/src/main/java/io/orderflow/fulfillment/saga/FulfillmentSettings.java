package io.orderflow.fulfillment.saga;

import io.orderflow.fulfillment.settings.FulfillmentProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The fulfillment saga's waits and retries, its part of {@link FulfillmentProperties}.
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
        Duration addressWait, int paymentAttempts, Duration paymentRetryDelay, Duration stuckRetryDelay) {

    /** The saga's part of the fulfillment settings. */
    @Autowired
    public FulfillmentSettings(FulfillmentProperties settings) {
        this(settings.addressWait(), settings.paymentAttempts(), settings.paymentRetryDelay(),
                settings.stuckRetryDelay());
    }

    public FulfillmentSettings {
        if (paymentAttempts < 1) {
            throw new IllegalArgumentException("orderflow.fulfillment.payment-attempts must be at least 1");
        }
    }
}
