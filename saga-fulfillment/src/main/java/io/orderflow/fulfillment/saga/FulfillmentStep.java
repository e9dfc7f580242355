package io.orderflow.fulfillment.saga;

/** Where a fulfillment saga stands; {@code GET /api/admin/sagas?state=} filters on it. */
public enum FulfillmentStep {
    /** Waiting for the customer's address to reach the version the order names. */
    AWAITING_ADDRESS,
    RESERVING_STOCK,
    AUTHORIZING_PAYMENT,
    ARRANGING_SHIPMENT,
    /** Undoing what was done, after a failure or a cancellation. */
    COMPENSATING,
    /** Cannot go on by itself: the cause says why; it retries on a deadline where a retry can help. */
    STUCK
}
