package io.orderflow.fulfillment.payment;

import java.time.Instant;

/** How voiding an authorization key ended. */
public sealed interface VoidOutcome {

    /** Nothing stays charged under the key, and no later authorization with it can charge. */
    record Voided(String idempotencyKey, Instant at) implements VoidOutcome {
    }

    /** The provider had declined the key, so there was nothing to void. */
    record NotCharged(String reason) implements VoidOutcome {
    }

    /** The provider could not be reached; the key may still be charged. */
    record Unreachable(String cause) implements VoidOutcome {
    }
}
