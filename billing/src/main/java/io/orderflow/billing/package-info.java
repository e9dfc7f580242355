/**
 * The billing context: it keeps its own copy of the customers' billing addresses (from
 * {@code orderflow.billing-address-changed}) and of the orders it will bill (from {@code orderflow.order-events}),
 * issues an invoice for every order whose payment is authorized and a credit note for an invoiced order that is
 * then cancelled or fails, numbers them without gaps per series and year, and publishes them on
 * {@code orderflow.billing-events}. Its subpackages: {@code address} (the billing-address projection),
 * {@code invoice} (the processor's handlers, the numbers and the documents) and {@code document} (the PDF).
 * Other contexts see only {@code io.orderflow.billing.api}.
 */
package io.orderflow.billing;
