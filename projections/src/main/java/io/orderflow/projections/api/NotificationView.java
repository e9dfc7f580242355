package io.orderflow.projections.api;

import java.time.Instant;
import java.util.UUID;

/**
 * A notification about an order: the event it answers, and whether the email went out.
 *
 * @param status    {@code SENT}, or {@code AWAITING_RECIPIENT} while the customer's email address is not known yet
 * @param recipient the address it was sent to; null while awaiting the recipient
 * @param sentAt    when it was handed to the SMTP server; null while awaiting the recipient
 */
public record NotificationView(UUID orderId, String eventId, String type, String status, String recipient,
                               String subject, Instant createdAt, Instant sentAt) {
}
