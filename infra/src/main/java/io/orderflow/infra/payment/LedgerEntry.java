package io.orderflow.infra.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One authorization key in the simulator's ledger.
 *
 * @param idempotencyKey the key the client sent
 * @param orderId        the order, null for a tombstone voided without one
 * @param amount         the amount, null for a tombstone (a key voided before any authorization arrived)
 * @param currency       the ISO-4217 code, null for a tombstone
 * @param status         where the authorization stands
 * @param at             when the status was last set
 */
public record LedgerEntry(String idempotencyKey, String orderId, BigDecimal amount, String currency,
                         Status status, Instant at) {

    /** What became of an authorization key. */
    public enum Status {
        /** The amount is charged (held) on the customer's account. */
        AUTHORIZED,
        /** Refused; nothing was charged. */
        DECLINED,
        /** Released after authorization, or fenced before any arrived; nothing stays charged. */
        VOIDED
    }

    /** Validates. */
    public LedgerEntry {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }

    /** Whether this key was voided before any authorization arrived, so it never carried an amount. */
    public boolean isTombstone() {
        return amount == null;
    }
}
