package io.orderflow.customer.api;

/**
 * Which of a customer's addresses an address change is about.
 */
public enum AddressKind {
    SHIPPING,
    BILLING
}
