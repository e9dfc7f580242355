/**
 * The billing context's published contract: the documents it issues (on {@code orderflow.billing-events}, keyed by
 * the order id), the queries it answers and their views. Other contexts may depend on this package and on nothing
 * else of the billing context.
 */
package io.orderflow.billing.api;
