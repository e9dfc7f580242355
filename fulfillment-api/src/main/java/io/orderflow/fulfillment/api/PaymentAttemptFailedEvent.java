package io.orderflow.fulfillment.api;

import io.orderflow.order.api.OrderId;
import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;

/**
 * An authorization attempt got no decision from the provider. {@code charged} is false when the provider confirmed it
 * holds no charge for the key, and null when that could not be found out.
 */
@Revision("1")
public record PaymentAttemptFailedEvent(OrderId orderId,
                                        int attempt,
                                        @Nullable Boolean charged,
                                        String cause) implements FulfillmentEvent {
}
