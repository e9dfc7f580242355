package io.orderflow.billing.api;

/**
 * The name of the billing context's event processor: its processing group, and the name operators use in the
 * operations API and the dashboard. It never changes.
 */
public final class BillingProcessors {

    /** Billing addresses and invoicing; from Kafka. Issues documents, so it is never replayed. */
    public static final String BILLING = "billing";

    private BillingProcessors() {
    }
}
