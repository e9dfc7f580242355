package io.orderflow.projections.api;

import jakarta.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A notification about an order: the event it answers, and whether the email went out.
 *
 * @param status    {@code SENT}; {@code PENDING} while it is recorded and its mail not handed over yet (for
 *                  milliseconds, or until the mail server takes it); {@code AWAITING_RECIPIENT} while the
 *                  customer's email address is not known yet
 * @param recipient the address it is sent to; null while awaiting the recipient
 * @param sentAt    when it was handed to the SMTP server; null until then
 */
public record NotificationView(UUID orderId, String eventId, String type, String status,
                               @Nullable String recipient, String subject, Instant createdAt,
                               @Nullable Instant sentAt) {
}
