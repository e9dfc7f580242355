package io.orderflow.projections.notification;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.ErasedCustomers;
import io.orderflow.projections.notification.NotificationService.Outgoing;
import io.orderflow.projections.notification.NotificationService.Recipient;
import io.orderflow.projections.settings.NotificationsProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.tracing.SpanFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends the notifications that the notification processor records, after its transaction (ADR 0011).
 *
 * <p>The processor records a notification as {@code PENDING} with a time for a retry ({@code next_attempt_at},
 * {@code orderflow.notifications.retry-after} later) in the transaction that moves its token. Once that transaction
 * has committed, the same thread sends the unit of work's mails and marks them {@code SENT}, in one statement: no
 * database transaction or pooled connection is held while the mail server answers (it has connect, read and write
 * timeouts), and a batch's mails cost one commit, not one each. A mail that
 * fails stays {@code PENDING}; so does one whose process stopped between the commit and the send. The retrier finds
 * such notifications when their time has come, claims them (a row lock skipped by other instances, and a new retry
 * time), sends them and marks them, with the attempts counted and the last error kept; the wait doubles with each
 * attempt, up to an hour.
 *
 * <p>Each notification is sent at least once. It is sent twice only if the process stops after the mail server took
 * the mail and before it was marked (the time the rest of its unit of work's mails take, milliseconds each); every
 * mail carries the id of the event it answers
 * ({@code X-Orderflow-Event-Id}), by which a receiving system can drop the second one.
 */
@Component
class NotificationOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationOutbox.class);
    private static final String RESOURCE = NotificationOutbox.class.getName() + ".outgoing";
    private static final String SENT = "SENT";
    private static final int RETRY_BATCH = 50;
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final JavaMailSender mail;
    private final String from;
    private final Duration retryAfter;
    private final Clock clock;
    private final ErasedCustomers erasedCustomers;
    private final SpanFactory spans;

    NotificationOutbox(JdbcTemplate jdbc, JavaMailSender mail, ErasedCustomers erasedCustomers,
                       NotificationsProperties settings,
                       Optional<Clock> clock, SpanFactory spans) {
        this.spans = spans;
        this.jdbc = jdbc;
        this.mail = mail;
        this.erasedCustomers = erasedCustomers;
        this.from = settings.from();
        this.retryAfter = settings.retryAfter();
        this.clock = clock.orElseGet(Clock::systemUTC);
    }

    /** How long after it is recorded a notification not yet marked sent is tried by the retrier. */
    Duration retryAfter() {
        return retryAfter;
    }

    /** Sends the notification once the current unit of work has committed (at once outside one). */
    void sendAfterCommit(Outgoing outgoing) {
        if (!CurrentUnitOfWork.isStarted()) {
            send(List.of(new Sending(outgoing, null)));
            return;
        }
        // The event that caused the mail: its span context makes the sending a span of the order's trace (ADR 0045),
        // although the batch's mails go out together after the commit.
        Message<?> cause = CurrentUnitOfWork.get().getMessage();
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        List<Sending> outgoings = root.getOrComputeResource(RESOURCE, key -> {
            List<Sending> collected = new ArrayList<>();
            root.afterCommit(unitOfWork -> sendQuietly(collected));
            return collected;
        });
        outgoings.add(new Sending(outgoing, cause));
    }

    /** A mail to send, and the event that caused it (null for a retry). */
    private record Sending(Outgoing outgoing, Message<?> cause) {
    }

    /**
     * Sends the notifications whose retry time has come; one instance takes each. The interval is the placeholder of
     * {@link NotificationsProperties#retryCheck()}, with the same default: a schedule cannot name a bean.
     */
    @Scheduled(fixedDelayString = "${orderflow.notifications.retry-check:10s}", initialDelayString = "10s")
    void retryDue() {
        try {
            List<Outgoing> due = claimDue();
            if (!due.isEmpty()) {
                LOG.info("Retrying {} notification(s) not sent yet", due.size());
                send(due.stream().map(outgoing -> new Sending(outgoing, null)).toList());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not retry the pending notifications; trying again", e);
        }
    }

    /** Claims due notifications: their retry time moves on by their next wait, so that none is sent twice at once. */
    private List<Outgoing> claimDue() {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.query("UPDATE notification n SET attempts = n.attempts + 1, "
                        + "next_attempt_at = cast(? as timestamp with time zone) "
                        + "+ make_interval(secs => least(? * power(2, n.attempts), ?)) "
                        + "FROM (SELECT event_id FROM notification WHERE status = 'PENDING' AND next_attempt_at <= ? "
                        + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due "
                        + "WHERE n.event_id = due.event_id "
                        + "RETURNING n.event_id, n.order_id, n.recipient, n.subject, "
                        + "(SELECT name FROM notification_recipient r WHERE r.customer_id = n.customer_id), "
                        + "n.customer_id",
                (row, i) -> new Outgoing(row.getString(1), row.getObject(2, UUID.class), row.getObject(6, UUID.class),
                        new Recipient(row.getString(3), row.getString(5) == null ? "" : row.getString(5)),
                        row.getString(4)),
                now, retryAfter.toSeconds(), LONGEST_WAIT.toSeconds(), now, RETRY_BATCH);
    }

    /** After a commit nothing may fail the processor's batch: what is not sent now is sent by the retrier. */
    private void sendQuietly(List<Sending> outgoings) {
        try {
            send(outgoings);
        } catch (RuntimeException e) {
            LOG.warn("Could not send or mark {} notification(s); the retrier takes those not marked sent",
                    outgoings.size(), e);
        }
    }

    /** Sends each, then marks those sent in one statement (one commit for a batch's mails, not one per mail). */
    private void send(List<Sending> outgoings) {
        List<String> sent = new ArrayList<>();
        for (Sending sending : outgoings) {
            Outgoing outgoing = sending.outgoing();
            // The erasure is checked where it is recorded, not only where its event has reached: a customer erased a
            // moment ago gets nothing, even if this processor has not read the erasure yet.
            if (erasedCustomers.erased(new CustomerId(outgoing.customerId()))) {
                jdbc.update("UPDATE notification SET status = ?, recipient = NULL, next_attempt_at = NULL "
                        + "WHERE event_id = ? AND status = 'PENDING'", NotificationService.CUSTOMER_ERASED,
                        outgoing.eventId());
                LOG.info("Not notifying customer {} about order {}: their personal data was erased",
                        outgoing.customerId(), outgoing.orderId());
                continue;
            }
            try {
                if (sending.cause() == null) {
                    mail.send(message(outgoing));
                } else {
                    spans.createChildHandlerSpan(() -> "NotificationOutbox.sendEmail", sending.cause())
                            .run(() -> mail.send(message(outgoing)));
                }
                sent.add(outgoing.eventId());
                LOG.info("Notified {} about order {}: {}", EmailMask.mask(outgoing.recipient().email()),
                        outgoing.orderId(), outgoing.subject());
            } catch (MailException e) {
                LOG.warn("Could not send the notification for event {} to {}; it stays pending and is tried "
                        + "again: {}", outgoing.eventId(), EmailMask.mask(outgoing.recipient().email()),
                        e.getMessage());
                jdbc.update("UPDATE notification SET last_error = ? WHERE event_id = ? AND status = 'PENDING'",
                        cut(e.getMessage()), outgoing.eventId());
            }
        }
        if (!sent.isEmpty()) {
            jdbc.update("UPDATE notification SET status = ?, sent_at = ?, last_error = NULL "
                    + "WHERE event_id = any(?) AND status = 'PENDING'", SENT, Timestamp.from(clock.instant()),
                    sent.toArray(String[]::new));
        }
    }

    private MimeMessage message(Outgoing outgoing) {
        MimeMessage message = mail.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, "UTF-8");
            helper.setFrom(from);
            helper.setTo(outgoing.recipient().email());
            helper.setSubject(outgoing.subject());
            helper.setText("Hello " + outgoing.recipient().name() + ",\n\n" + outgoing.subject() + ".\n\nOrder: "
                    + outgoing.orderId() + "\n");
            message.setHeader(NotificationService.EVENT_ID_HEADER, outgoing.eventId());
            message.setHeader(NotificationService.ORDER_ID_HEADER, outgoing.orderId().toString());
        } catch (MessagingException e) {
            throw new MailPreparationException("cannot write the notification for event " + outgoing.eventId(), e);
        }
        return message;
    }

    private static String cut(String text) {
        return text == null ? null : text.length() <= 500 ? text : text.substring(0, 500);
    }
}
