package io.orderflow.fulfillment.payment;

import java.time.Instant;

/** How an authorization with the payment provider ended, as far as the client could tell. */
public sealed interface PaymentOutcome {

    /** The amount is charged (held) under {@code idempotencyKey}. */
    record Authorized(String idempotencyKey, Instant at) implements PaymentOutcome {
    }

    /** Nothing is charged: the provider refused, or the key was voided before it could charge. */
    record Declined(String reason) implements PaymentOutcome {
    }

    /**
     * Definitely not charged (the provider says it does not know the key, or refused every attempt), but no
     * answer could be had. A request of this call still travelling could charge later: void the key to fence it.
     */
    record Unavailable(String cause) implements PaymentOutcome {
    }

    /** Whether a charge happened could not be determined: the provider could not be asked. */
    record Unknown(String cause) implements PaymentOutcome {
    }
}
