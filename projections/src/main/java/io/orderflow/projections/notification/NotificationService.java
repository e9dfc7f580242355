package io.orderflow.projections.notification;

import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.values.PersonalData;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.FindNotificationsQuery;
import io.orderflow.projections.api.NotificationView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Emails the customer when an order is accepted, shipped (its stock left the warehouse and the order completed),
 * cancelled or failed. It reads the order and customer topics on Kafka and is never replayed (ADR 0011).
 *
 * <p>Each notification is recorded under the id of the event it answers, in the processor's transaction, which also
 * moves its token: a redelivered event finds the record and records and sends nothing. The mail itself is sent by
 * {@link NotificationOutbox} once that transaction has committed, so no database transaction or connection waits on
 * the mail server; a mail that cannot be sent then stays {@code PENDING} and is tried again.
 *
 * <p>An order can be read before its customer's registration, which comes from another topic. Its notifications
 * then wait in status {@code AWAITING_RECIPIENT} and are sent, in order, when the registration arrives.
 */
@Component
@ProcessingGroup(NotificationService.PROCESSING_GROUP)
@DisallowReplay
class NotificationService {

    static final String PROCESSING_GROUP = ProjectionProcessors.NOTIFICATIONS;
    /** The mail header that names the event a notification answers. */
    static final String EVENT_ID_HEADER = "X-Orderflow-Event-Id";
    static final String ORDER_ID_HEADER = "X-Orderflow-Order-Id";
    static final String PENDING = "PENDING";
    private static final String AWAITING_RECIPIENT = "AWAITING_RECIPIENT";
    /** Not sent, and never to be: the customer's personal data was erased (docs/adr/0032). */
    static final String CUSTOMER_ERASED = "CUSTOMER_ERASED";
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final JdbcTemplate jdbc;
    private final NotificationOutbox outbox;
    private final Clock clock;

    NotificationService(JdbcTemplate jdbc, NotificationOutbox outbox, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock.orElseGet(Clock::systemUTC);
    }

    @EventHandler
    void on(CustomerRegisteredEvent event) {
        if (PersonalData.ERASED.equals(event.email())) {
            // Read after the customer was erased (their key is gone): there is nobody to write to.
            erase(event.customerId().value());
            return;
        }
        jdbc.update("INSERT INTO notification_recipient (customer_id, name, email) VALUES (?, ?, ?) "
                        + "ON CONFLICT (customer_id) DO NOTHING",
                event.customerId().value(), event.name(), event.email());
        List<Pending> pending = jdbc.query("SELECT event_id, order_id, subject FROM notification "
                        + "WHERE customer_id = ? AND status = ? ORDER BY created_at, event_id",
                (row, i) -> new Pending(row.getString(1), row.getObject(2, UUID.class), row.getString(3)),
                event.customerId().value(), AWAITING_RECIPIENT);
        for (Pending notification : pending) {
            jdbc.update("UPDATE notification SET status = ?, recipient = ?, next_attempt_at = ? WHERE event_id = ?",
                    PENDING, event.email(), Timestamp.from(clock.instant().plus(outbox.retryAfter())),
                    notification.eventId());
            outbox.sendAfterCommit(new Outgoing(notification.eventId(), notification.orderId(),
                    event.customerId().value(), new Recipient(event.email(), event.name()), notification.subject()));
        }
    }

    /**
     * The customer was erased: their address and name are overwritten, the notifications not sent yet never will
     * be, and the addresses the sent ones went to are forgotten.
     */
    @EventHandler
    void on(CustomerErasedEvent event) {
        erase(event.customerId().value());
    }

    private void erase(UUID customerId) {
        jdbc.update("INSERT INTO notification_recipient (customer_id, name, email) VALUES (?, ?, ?) "
                + "ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name, email = excluded.email",
                customerId, PersonalData.ERASED, PersonalData.ERASED);
        int cancelled = jdbc.update("UPDATE notification SET status = ?, next_attempt_at = NULL "
                + "WHERE customer_id = ? AND status IN (?, ?)", CUSTOMER_ERASED, customerId, PENDING,
                AWAITING_RECIPIENT);
        jdbc.update("UPDATE notification SET recipient = NULL WHERE customer_id = ? AND recipient IS NOT NULL",
                customerId);
        LOG.info("Customer {} erased: {} notification(s) not sent yet will not be", customerId, cancelled);
    }

    @EventHandler
    void on(OrderAcceptedEvent event, @MessageIdentifier String eventId) {
        notify(eventId, event.orderId(), event.customerId().value(), NotificationType.ORDER_ACCEPTED);
    }

    @EventHandler
    void on(OrderCompletedEvent event, @MessageIdentifier String eventId) {
        notify(eventId, event.orderId(), customerOf(event.orderId()), NotificationType.ORDER_SHIPPED);
    }

    @EventHandler
    void on(OrderCancelledEvent event, @MessageIdentifier String eventId) {
        notify(eventId, event.orderId(), customerOf(event.orderId()), NotificationType.ORDER_CANCELLED);
    }

    @EventHandler
    void on(OrderFailedEvent event, @MessageIdentifier String eventId) {
        notify(eventId, event.orderId(), customerOf(event.orderId()), NotificationType.ORDER_FAILED);
    }

    /**
     * The customer of an order, from the notification of its acceptance. An order's events share one partition,
     * so its acceptance has been handled before any later event of it.
     */
    private UUID customerOf(OrderId orderId) {
        return jdbc.query("SELECT customer_id FROM notification WHERE order_id = ? AND type = ?",
                        (row, i) -> row.getObject(1, UUID.class), orderId.value(),
                        NotificationType.ORDER_ACCEPTED.name()).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("order " + orderId + " has no accepted notification; "
                        + "its acceptance was not read before its later events"));
    }

    private void notify(String eventId, OrderId orderId, UUID customerId, NotificationType type) {
        Recipient recipient = jdbc.query("SELECT email, name FROM notification_recipient WHERE customer_id = ?",
                (row, i) -> new Recipient(row.getString(1), row.getString(2)), customerId).stream().findFirst()
                .orElse(null);
        Instant now = clock.instant();
        String subject = type.subjectFor(orderId.value().toString().substring(0, 8));
        boolean erased = recipient != null && PersonalData.ERASED.equals(recipient.email());
        String status = erased ? CUSTOMER_ERASED : recipient == null ? AWAITING_RECIPIENT : PENDING;
        boolean toSend = PENDING.equals(status);
        int inserted = jdbc.update("INSERT INTO notification (event_id, order_id, customer_id, type, status, "
                        + "recipient, subject, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (event_id) DO NOTHING",
                eventId, orderId.value(), customerId, type.name(), status, toSend ? recipient.email() : null,
                subject, Timestamp.from(now), toSend ? Timestamp.from(now.plus(outbox.retryAfter())) : null);
        if (inserted == 0) {
            LOG.debug("Event {} ({}) was already notified; nothing sent again", eventId, type);
            return;
        }
        if (erased) {
            LOG.debug("Notification {} for order {} not sent: customer {} was erased", type, orderId, customerId);
            return;
        }
        if (recipient == null) {
            LOG.debug("Notification {} for order {} waits for customer {}'s registration", type, orderId, customerId);
            return;
        }
        outbox.sendAfterCommit(new Outgoing(eventId, orderId.value(), customerId, recipient, subject));
    }

    @QueryHandler
    List<NotificationView> handle(FindNotificationsQuery query) {
        return jdbc.query("SELECT order_id, event_id, type, status, recipient, subject, created_at, sent_at "
                        + "FROM notification WHERE order_id = ? ORDER BY created_at, event_id",
                (row, i) -> new NotificationView(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getTimestamp(7).toInstant(),
                        row.getTimestamp(8) == null ? null : row.getTimestamp(8).toInstant()),
                query.orderId().value());
    }

    private record Pending(String eventId, UUID orderId, String subject) {
    }

    /** Whom a notification goes to: the address, and the name to greet. */
    record Recipient(String email, String name) {
    }

    /** A notification to send: the event it answers, its order and customer, whom to and what about. */
    record Outgoing(String eventId, UUID orderId, UUID customerId, Recipient recipient, String subject) {
    }
}
