package io.orderflow.fulfillment.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The provider's record of one idempotency key.
 *
 * @param amount   null when the key was voided before any authorization arrived (a tombstone); so are
 *                 {@code currency} and possibly {@code orderId}
 */
public record ProviderAuthorization(String idempotencyKey, String orderId, BigDecimal amount, String currency,
                                    Status status, Instant at) {

    /** Where an authorization stands at the provider. */
    public enum Status {
        AUTHORIZED, DECLINED, VOIDED
    }

    /** Validates. */
    public ProviderAuthorization {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }
}
