/**
 * The customer-profile context's published contract: its commands, the events it records (on
 * {@code orderflow.customer-events}, keyed by customer id) and their value types. Every change to a profile raises
 * its version; events carry the version they produced, so that consumers apply an address only if it is newer.
 */
package io.orderflow.customer.api;
