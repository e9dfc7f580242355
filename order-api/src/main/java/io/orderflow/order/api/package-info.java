/**
 * The order context's published contract: the commands it accepts, the events it records and the value types
 * they carry. Other contexts and modules may depend on this package and on nothing else of the order context.
 * Events here are stored forever and leave the context through Kafka, so a change is either backward compatible
 * or comes with a new {@code @Revision} and an upcaster.
 */
package io.orderflow.order.api;
