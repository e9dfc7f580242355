package io.orderflow.order.api;

/**
 * Why an order failed. Stable codes: clients and reports switch on them.
 */
public enum FailureReason {
    /** Not enough stock for at least one line. */
    OUT_OF_STOCK,
    /** The payment provider declined the charge. */
    PAYMENT_DECLINED,
    /** The payment provider could not be reached or did not answer in time, after retries. */
    PAYMENT_UNAVAILABLE,
    /** The customer's address never reached the version the order names, before the deadline. */
    ADDRESS_UNAVAILABLE,
    /** No shipment could be arranged. */
    SHIPMENT_FAILED
}
