package io.orderflow.customer.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The customer's personal data was erased: their data key is gone, so every name, e-mail address and street written
 * for them reads {@code [erased]} from now on, in replays too. Every context that copied any of it into its own
 * tables overwrites its copy when it reads this event, and sends the customer nothing more. The profile's version is
 * raised, like any change.
 */
@Revision("1")
public record CustomerErasedEvent(CustomerId customerId, Instant erasedAt, long version) {
}
