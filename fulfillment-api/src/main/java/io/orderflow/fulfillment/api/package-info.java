/**
 * The fulfillment context's published contract: the facts its participants record (on
 * {@code orderflow.fulfillment-events}, keyed by the order id), the operator's inventory messages and the views it
 * answers. Other contexts may depend on this package and on nothing else of the fulfillment context.
 */
package io.orderflow.fulfillment.api;
