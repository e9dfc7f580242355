package io.orderflow.projections.notification;

import io.orderflow.projections.settings.NotificationsProperties;
import io.orderflow.values.PersonalData;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.Sku;
import io.orderflow.projections.api.FindNotificationsQuery;
import io.orderflow.projections.api.NotificationView;
import io.orderflow.projections.testing.CannedRows;
import io.orderflow.projections.testing.Statements;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.Mockito;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Notifications: a customer is mailed once for each fact of their order (accepted, shipped, cancelled, failed), the
 * mail names the event it answers, and the notification is recorded under the event's id, as pending, in the unit
 * of work that handles the event; the mail goes out only once that unit of work has committed, and is then marked
 * sent. A redelivered event finds the record and sends nothing; a mail that cannot be sent leaves the notification
 * pending with its error, for the retrier. A notification whose customer is not registered yet waits, and goes out
 * when the registration arrives.
 *
 * <p>The service talks to PostgreSQL with plain JDBC, so the table is not emulated here: each test states what the
 * database answers (who the recipient is, whose order it is, which notifications wait, whether the insert found the
 * event already recorded), and checks what the service records and mails. That the insert of an event recorded
 * before changes no row ({@code ON CONFLICT (event_id) DO NOTHING}) is PostgreSQL's part, covered by NotificationsIT.
 * The mail sender is a mock that keeps the messages it was given.
 */
class NotificationServiceTest {

    private static final OrderId ORDER = new OrderId(UUID.fromString("5f0c2a9e-1b3d-4c5e-8f70-9a1b2c3d4e5f"));
    private static final OrderId OTHER_ORDER = new OrderId(UUID.fromString("c0ffee00-1b3d-4c5e-8f70-9a1b2c3d4e5f"));
    private static final CustomerId ADA = new CustomerId(UUID.fromString("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b"));
    private static final PostalAddress HOME = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    private static final Instant NOW = Instant.parse("2025-03-01T09:00:05Z");
    private static final String FROM = "orders@orderflow.test";
    private static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    // What the database answers, as each test sets it.
    private final Map<UUID, List<String>> recipients = new HashMap<>();
    private final Map<UUID, UUID> customerOfAcceptedOrder = new HashMap<>();
    private final List<Object[]> waiting = new ArrayList<>();
    private final List<Object[]> listed = new ArrayList<>();
    private boolean alreadyRecorded;
    /** The customers the customer-profile context has erased. */
    private final java.util.Set<CustomerId> erasedCustomers = new java.util.HashSet<>();

    /** What the service wrote, by table and column, and mailed, in the order it did so. */
    private final List<Written> written = new ArrayList<>();
    private final List<MimeMessage> sent = new ArrayList<>();
    private final List<String> happenings = new ArrayList<>();
    private Object[] listingParameters;

    private JavaMailSender mail;
    private NotificationService service;
    private AnnotationEventHandlerAdapter handlers;

    record Written(String table, Map<String, Object> row) {
    }

    @BeforeEach
    void setUp() {
        mail = Mockito.mock(JavaMailSender.class);
        Mockito.when(mail.createMimeMessage())
                .thenAnswer(call -> new MimeMessage(Session.getInstance(new Properties())));
        Mockito.doAnswer(call -> {
            MimeMessage message = call.getArgument(0);
            sent.add(message);
            happenings.add("mailed " + message.getHeader(NotificationService.EVENT_ID_HEADER, null));
            return null;
        }).when(mail).send(Mockito.any(MimeMessage.class));
        JdbcTemplate jdbc = jdbc();
        Optional<Clock> clock = Optional.of(Clock.fixed(NOW, ZoneOffset.UTC));
        service = new NotificationService(jdbc, new NotificationOutbox(jdbc, mail, erasedCustomers::contains,
                new NotificationsProperties(10, FROM, RETRY_AFTER, Duration.ofSeconds(10)), clock, NoOpSpanFactory.INSTANCE), clock);
        handlers = new AnnotationEventHandlerAdapter(service);
    }

    /** Answers the service's statements from the fields above and records its writes; anything else fails. */
    private JdbcTemplate jdbc() {
        return Mockito.mock(JdbcTemplate.class, invocation -> {
            Object[] args = invocation.getRawArguments();
            String method = invocation.getMethod().getName();
            if (method.equals("toString")) {
                return "notification JDBC";
            }
            String sql = (String) args[0];
            if (method.equals("update")) {
                Object[] parameters = (Object[]) args[1];
                String table = sql.split("\\s+")[sql.startsWith("UPDATE") ? 1 : 2];
                written.add(new Written(table, Statements.row(sql, parameters)));
                boolean notification = sql.startsWith("INSERT INTO notification ");
                happenings.add((notification ? "recorded " : "wrote " + table + " ") + parameters[0]);
                return notification && alreadyRecorded ? 0 : 1;
            }
            if (method.equals("query") && args[1] instanceof RowMapper<?> mapper) {
                Object[] parameters = (Object[]) args[2];
                return rows(sql, parameters).stream().map(row -> map(mapper, row)).toList();
            }
            throw new UnsupportedOperationException("unexpected JDBC call " + invocation);
        });
    }

    private List<Object[]> rows(String sql, Object[] parameters) {
        if (sql.startsWith("SELECT email, name FROM notification_recipient")) {
            List<String> recipient = recipients.get((UUID) parameters[0]);
            return recipient == null ? List.of() : List.<Object[]>of(recipient.toArray());
        }
        if (sql.startsWith("SELECT customer_id FROM notification ")) {
            assertThat(parameters[1]).isEqualTo("ORDER_ACCEPTED");
            UUID customer = customerOfAcceptedOrder.get((UUID) parameters[0]);
            return customer == null ? List.of() : List.<Object[]>of(new Object[] {customer});
        }
        if (sql.startsWith("SELECT event_id, order_id, subject FROM notification ")) {
            assertThat(parameters).containsExactly(ADA.value(), "AWAITING_RECIPIENT");
            return waiting;
        }
        if (sql.startsWith("SELECT order_id, event_id, type, status, recipient, subject, created_at, sent_at ")) {
            listingParameters = parameters;
            return listed;
        }
        throw new UnsupportedOperationException("unexpected query " + sql);
    }

    private static Object map(RowMapper<?> mapper, Object[] row) {
        try {
            return mapper.mapRow(CannedRows.row(row), 0);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void givenARegisteredCustomer_whenTheirOrderIsAccepted_thenOneMailIsRecordedUnderTheEventAndThenSent()
            throws Exception {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));

        handle(message("event-accepted", accepted(ORDER)));

        assertThat(happenings).containsExactly("recorded event-accepted", "committed", "mailed event-accepted",
                "wrote notification SENT");
        assertThat(written).containsExactly(new Written("notification", Map.of("event_id", "event-accepted",
                "order_id", ORDER.value(), "customer_id", ADA.value(), "type", "ORDER_ACCEPTED", "status", "PENDING",
                "recipient", "ada@example.com", "subject", "Your order 5f0c2a9e was accepted",
                "created_at", Timestamp.from(NOW), "next_attempt_at", Timestamp.from(NOW.plus(RETRY_AFTER)))),
                new Written("notification", Map.of("status", "SENT", "sent_at", Timestamp.from(NOW),
                        "event_id", List.of("event-accepted"))));
        assertThat(sent).hasSize(1);
        MimeMessage mailed = sent.get(0);
        assertThat(mailed.getFrom()).containsExactly(new InternetAddress(FROM));
        assertThat(mailed.getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("ada@example.com"));
        assertThat(mailed.getSubject()).isEqualTo("Your order 5f0c2a9e was accepted");
        assertThat(mailed.getHeader(NotificationService.EVENT_ID_HEADER)).containsExactly("event-accepted");
        assertThat(mailed.getHeader(NotificationService.ORDER_ID_HEADER)).containsExactly(ORDER.toString());
        assertThat((String) mailed.getContent()).isEqualTo("Hello Ada Lovelace,\n\nYour order 5f0c2a9e was "
                + "accepted.\n\nOrder: " + ORDER + "\n");
    }

    static Stream<Arguments> laterFacts() {
        return Stream.of(
                Arguments.of(new OrderCompletedEvent(ORDER), "ORDER_SHIPPED", "Your order 5f0c2a9e has shipped"),
                Arguments.of(new OrderCancelledEvent(ORDER, "changed my mind"), "ORDER_CANCELLED",
                        "Your order 5f0c2a9e was cancelled"),
                Arguments.of(new OrderFailedEvent(ORDER, FailureReason.OUT_OF_STOCK), "ORDER_FAILED",
                        "Your order 5f0c2a9e could not be fulfilled"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("laterFacts")
    void givenAnAcceptedOrder_whenALaterFactArrives_thenTheCustomerOfTheAcceptanceIsToldWithItsOwnSubject(
            Object fact, String type, String subject) throws Exception {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));
        customerOfAcceptedOrder.put(ORDER.value(), ADA.value());

        handle(message("event-later", fact));

        assertThat(written).first().satisfies(write -> {
            assertThat(write.row()).containsEntry("event_id", "event-later").containsEntry("type", type)
                    .containsEntry("customer_id", ADA.value()).containsEntry("status", "PENDING")
                    .containsEntry("subject", subject);
        });
        assertThat(written).last().satisfies(write -> assertThat(write.row()).containsEntry("status", "SENT")
                .containsEntry("event_id", List.of("event-later")));
        assertThat(sent).singleElement().satisfies(mailed -> {
            assertThat(mailed.getSubject()).isEqualTo(subject);
            assertThat(mailed.getHeader(NotificationService.EVENT_ID_HEADER)).containsExactly("event-later");
        });
    }

    @Test
    void givenANotifiedEvent_whenTheSameRecordIsDeliveredAgain_thenItIsRecordedUnderTheSameEventIdAndNothingIsSentAgain() {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));
        EventMessage<?> record = message("event-accepted", accepted(ORDER));
        handle(record);
        // The database now holds the notification of that event: inserting it again changes no row.
        alreadyRecorded = true;

        handle(record);

        assertThat(sent).hasSize(1);
        assertThat(written).extracting(write -> write.row().get("event_id"))
                .containsExactly("event-accepted", List.of("event-accepted"), "event-accepted");
        assertThat(written).extracting(write -> write.row().get("status")).containsExactly("PENDING", "SENT",
                "PENDING");
    }

    /** Erased where the erasure is recorded, before this processor has read its event: recorded, never mailed. */
    @Test
    void givenACustomerErasedAMomentAgo_whenTheirOrderIsAccepted_thenTheNotificationIsMarkedErasedAndNothingIsSent() {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));
        erasedCustomers.add(ADA);

        handle(message("event-accepted", accepted(ORDER)));

        assertThat(sent).isEmpty();
        assertThat(written).last().satisfies(write -> assertThat(write.row())
                .containsEntry("status", NotificationService.CUSTOMER_ERASED).containsEntry("event_id",
                        "event-accepted"));
    }

    /** Once the erasure's event is read, the recipient reads [erased]: the notification is never sent. */
    @Test
    void givenAnErasedRecipient_whenTheirOrderIsAccepted_thenItIsRecordedAsErasedWithNoAddressAndNotSent() {
        recipients.put(ADA.value(), List.of(PersonalData.ERASED, PersonalData.ERASED));

        handle(message("event-accepted", accepted(ORDER)));

        assertThat(sent).isEmpty();
        assertThat(written).singleElement().satisfies(write -> assertThat(write.row())
                .containsEntry("status", NotificationService.CUSTOMER_ERASED).containsEntry("recipient", null)
                .containsEntry("next_attempt_at", null));
    }

    @Test
    void givenAnUnregisteredCustomer_whenTheirOrderIsAccepted_thenTheNotificationWaitsAndNothingIsSent() {
        handle(message("event-accepted", accepted(ORDER)));

        assertThat(written).singleElement().satisfies(write -> assertThat(write.row())
                .containsEntry("status", "AWAITING_RECIPIENT").containsEntry("recipient", null)
                .containsEntry("next_attempt_at", null).containsEntry("created_at", Timestamp.from(NOW)));
        assertThat(sent).isEmpty();
    }

    @Test
    void givenWaitingNotifications_whenTheCustomerRegisters_thenEachIsMarkedSentAndMailedInTheOrderTheyWait()
            throws Exception {
        waiting.add(new Object[] {"event-1", ORDER.value(), "Your order 5f0c2a9e was accepted"});
        waiting.add(new Object[] {"event-2", OTHER_ORDER.value(), "Your order c0ffee00 was accepted"});

        handle(message("event-registered", registered()));

        assertThat(written).containsExactly(
                new Written("notification_recipient", Map.of("customer_id", ADA.value(), "name", "Ada Lovelace",
                        "email", "ada@example.com")),
                new Written("notification", Map.of("status", "PENDING", "recipient", "ada@example.com",
                        "next_attempt_at", Timestamp.from(NOW.plus(RETRY_AFTER)), "event_id", "event-1")),
                new Written("notification", Map.of("status", "PENDING", "recipient", "ada@example.com",
                        "next_attempt_at", Timestamp.from(NOW.plus(RETRY_AFTER)), "event_id", "event-2")),
                new Written("notification", Map.of("status", "SENT", "sent_at", Timestamp.from(NOW),
                        "event_id", List.of("event-1", "event-2"))));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader(NotificationService.EVENT_ID_HEADER)).containsExactly("event-1");
        assertThat(sent.get(0).getHeader(NotificationService.ORDER_ID_HEADER)).containsExactly(ORDER.toString());
        assertThat(sent.get(0).getSubject()).isEqualTo("Your order 5f0c2a9e was accepted");
        assertThat(sent.get(1).getHeader(NotificationService.EVENT_ID_HEADER)).containsExactly("event-2");
        assertThat(sent.get(1).getHeader(NotificationService.ORDER_ID_HEADER))
                .containsExactly(OTHER_ORDER.toString());
        assertThat(sent.get(1).getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("ada@example.com"));
        assertThat((String) sent.get(1).getContent()).startsWith("Hello Ada Lovelace,");
        assertThat(happenings).containsExactly("wrote notification_recipient " + ADA.value(),
                "wrote notification PENDING", "wrote notification PENDING", "committed", "mailed event-1",
                "mailed event-2", "wrote notification SENT");
    }

    @Test
    void givenNothingWaiting_whenTheCustomerRegisters_thenTheRecipientIsRecordedAndNothingIsSent() {
        handle(message("event-registered", registered()));

        assertThat(written).extracting(Written::table).containsExactly("notification_recipient");
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAnOrderWhoseAcceptanceWasNeverRead_whenItCompletes_thenTheHandlerFailsAndNothingIsRecordedOrSent() {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));

        assertThatIllegalStateException()
                .isThrownBy(() -> handlers.handle(message("event-completed", new OrderCompletedEvent(ORDER))))
                .withMessageContaining(ORDER.toString());
        assertThat(written).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAMailServerThatRefuses_whenAnOrderIsAccepted_thenTheEventIsDone_andTheNotificationStaysPendingWithTheError() {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));
        Mockito.doThrow(new MailSendException("connection refused")).when(mail).send(Mockito.any(MimeMessage.class));

        handle(message("event-accepted", accepted(ORDER)));

        // The record is committed with the token; the retrier sends it when its time has come.
        assertThat(written).hasSize(2);
        assertThat(written.get(0).row()).containsEntry("status", "PENDING");
        assertThat(written.get(1).row()).containsEntry("last_error", "connection refused")
                .containsEntry("event_id", "event-accepted");
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAUnitOfWorkThatRollsBack_thenNothingIsMailed() {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));
        EventMessage<?> event = message("event-accepted", accepted(ORDER));
        DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        try {
            handlers.handle(event);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        unitOfWork.rollback();

        assertThat(happenings).containsExactly("recorded event-accepted");
        assertThat(sent).isEmpty();
    }

    @Test
    void givenTheProcessorReplays_whenAnEventComesAgain_thenNoNotificationIsRecordedOrSent() throws Exception {
        recipients.put(ADA.value(), List.of("ada@example.com", "Ada Lovelace"));
        EventMessage<?> replayed = new GenericTrackedEventMessage<>(ReplayToken.createReplayToken(
                new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(3)),
                message("event-accepted", accepted(ORDER)));

        handlers.handle(replayed);

        assertThat(written).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void givenNotificationsOfAnOrder_whenQueried_thenTheyAreListedForThatOrderWithWaitingOnesUnsent() {
        Instant created = NOW.minusSeconds(60);
        listed.add(new Object[] {ORDER.value(), "event-1", "ORDER_ACCEPTED", "SENT", "ada@example.com",
                "Your order 5f0c2a9e was accepted", Timestamp.from(created), Timestamp.from(NOW)});
        listed.add(new Object[] {ORDER.value(), "event-2", "ORDER_SHIPPED", "AWAITING_RECIPIENT", null,
                "Your order 5f0c2a9e has shipped", Timestamp.from(NOW), null});

        List<NotificationView> views = service.handle(new FindNotificationsQuery(ORDER));

        assertThat(listingParameters).containsExactly(ORDER.value());
        assertThat(views).containsExactly(
                new NotificationView(ORDER.value(), "event-1", "ORDER_ACCEPTED", "SENT", "ada@example.com",
                        "Your order 5f0c2a9e was accepted", created, NOW),
                new NotificationView(ORDER.value(), "event-2", "ORDER_SHIPPED", "AWAITING_RECIPIENT", null,
                        "Your order 5f0c2a9e has shipped", NOW, null));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Handles the event in a unit of work, as the processor does, and commits it. */
    private void handle(EventMessage<?> message) {
        DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        unitOfWork.onCommit(u -> happenings.add("committed"));
        try {
            handlers.handle(message);
        } catch (Exception e) {
            unitOfWork.rollback(e);
            throw new AssertionError(e);
        }
        unitOfWork.commit();
    }

    /** A record as read from Kafka: the id and timestamp of the event it carries. */
    private static EventMessage<?> message(String eventId, Object payload) {
        return new GenericEventMessage<>(eventId, payload, MetaData.emptyInstance(), NOW.minusSeconds(5));
    }

    private static OrderAcceptedEvent accepted(OrderId order) {
        return new OrderAcceptedEvent(order, ADA, List.of(new OrderLine(new Sku("TEA-01"), "Green tea", 2,
                new BigDecimal("10.50"), new BigDecimal("21.00"))), new BigDecimal("21.00"), "EUR", null, 1L,
                NOW.minusSeconds(5), 2);
    }

    private static CustomerRegisteredEvent registered() {
        return new CustomerRegisteredEvent(new io.orderflow.customer.api.CustomerId(ADA.value()), "Ada Lovelace",
                "ada@example.com", HOME, HOME, 0);
    }
}
