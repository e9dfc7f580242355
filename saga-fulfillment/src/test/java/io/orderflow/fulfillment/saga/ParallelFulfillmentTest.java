package io.orderflow.fulfillment.saga;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryLocks;
import io.orderflow.fulfillment.payment.PaymentAuthorization;
import io.orderflow.fulfillment.payment.PaymentCommands.RecordPaymentOutcomeCommand;
import io.orderflow.fulfillment.payment.PaymentOutcome;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.ConfirmAuthorizationCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.LedgerEntry;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.settings.FulfillmentProperties;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderCommands.CompleteOrderCommand;
import io.orderflow.order.api.OrderCommands.FailOrderCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.OrderStatus;
import io.orderflow.order.api.Sku;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Which orders of a batch end on their straight path (and are recorded as fulfilled, so the saga starts nothing for
 * them) and which are left to the saga; the participants and the order are played by a command gateway that answers
 * per command, and the database by a mock that records the run rows written.
 */
class ParallelFulfillmentTest {

    private static final PostalAddress HOME = new PostalAddress("Hauptstr. 1", "Berlin", "10115", "DE");

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final PaymentAuthorization payments = mock(PaymentAuthorization.class);
    private final InventoryLocks locks = mock(InventoryLocks.class);
    private final List<Object> sent = Collections.synchronizedList(new ArrayList<>());
    private final Map<OrderId, Object> special = Collections.synchronizedMap(new HashMap<>());
    private final List<UUID> alreadyRun = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger transactionsStarted =
            new java.util.concurrent.atomic.AtomicInteger();
    private ParallelFulfillment fulfillment;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        ObjectProvider<CommandGateway> provider = mock(ObjectProvider.class);
        when(provider.getObject()).thenReturn(gateway);
        ObjectProvider<TransactionManager> transactions = mock(ObjectProvider.class);
        when(transactions.getObject()).thenReturn(() -> {
            transactionsStarted.incrementAndGet();
            return NoTransactionManager.INSTANCE.startTransaction();
        });
        fulfillment = new ParallelFulfillment(provider, transactions, jdbc, Clock.systemUTC(), CrashPoints.none(),
                payments, locks, NoOpSpanFactory.INSTANCE,
                FulfillmentProperties.defaults().withStraightPath(1, 4, Duration.ofSeconds(5)));
        when(gateway.sendAndWait(any(), anyLong(), any())).thenAnswer(call -> {
            Object command = ((CommandMessage<?>) call.getArgument(0)).getPayload();
            sent.add(command);
            return answer(command);
        });
        when(payments.ask(any(), any(), eq(1))).thenAnswer(call -> new PaymentAuthorization.Answered(
                new RecordPaymentOutcomeCommand(call.getArgument(0), call.getArgument(1), 1,
                        new PaymentOutcome.Authorized("key", Instant.now()))));
        doAnswer(call -> {
            RowCallbackHandler rows = call.getArgument(1);
            for (UUID id : alreadyRun) {
                java.sql.ResultSet row = mock(java.sql.ResultSet.class);
                when(row.getObject(1, UUID.class)).thenReturn(id);
                rows.processRow(row);
            }
            return null;
        }).when(jdbc).query(anyString(), any(RowCallbackHandler.class), any(Object[].class));
    }

    @AfterEach
    void tearDown() {
        fulfillment.destroy();
    }

    @Test
    void ordersThatMeetOnlyTheStraightPathEndThereAndAreRecordedAsFulfilled() throws Exception {
        OrderAcceptedEvent happy = accepted(HOME);
        OrderAcceptedEvent outOfStock = accepted(HOME);
        special.put(outOfStock.orderId(), new ReservationResult(ReservationState.REJECTED, false));

        runBatch(happy, outOfStock);

        assertThat(runRecords()).containsExactlyInAnyOrder(happy.orderId().value(), outOfStock.orderId().value());
        assertThat(sent).contains(new CompleteOrderCommand(happy.orderId()),
                new FailOrderCommand(outOfStock.orderId(), FailureReason.OUT_OF_STOCK));
        assertThat(sent).filteredOn(ArrangeShipmentCommand.class::isInstance).hasSize(1);
    }

    @Test
    void anOrderWhosePathGotAsFarAsShippingBeforeItsBatchFailedEndsWhenTheBatchIsReadAgain() throws Exception {
        OrderAcceptedEvent shipped = accepted(HOME);
        special.put(shipped.orderId(), new ReservationResult(ReservationState.SHIPPED, true));

        runBatch(shipped);

        assertThat(runRecords()).containsExactly(shipped.orderId().value());
        assertThat(sent).contains(new CompleteOrderCommand(shipped.orderId()));
    }

    @Test
    void anOrderWhoseAuthorizationTheLedgerDoesNotHoldIsNeitherRecordedNorShipped() throws Exception {
        OrderAcceptedEvent unconfirmed = accepted(HOME);
        special.put(unconfirmed.orderId(), new LedgerEntry(null, null));
        OrderAcceptedEvent fine = accepted(HOME);

        runBatch(unconfirmed, fine);

        assertThat(runRecords()).containsExactly(fine.orderId().value());
        assertThat(sent).contains(new ConfirmAuthorizationCommand(unconfirmed.orderId()));
        assertThat(sent).noneMatch(command -> (command instanceof RecordPaymentAuthorizedCommand recorded
                && recorded.orderId().equals(unconfirmed.orderId()))
                || (command instanceof ArrangeShipmentCommand arranged
                && arranged.orderId().equals(unconfirmed.orderId())));
    }

    @Test
    void anOrderThatMeetsAnythingElseIsLeftToTheSaga() throws Exception {
        OrderAcceptedEvent declined = accepted(HOME);
        special.put(declined.orderId(), new PaymentResult(PaymentState.DECLINED, false));
        OrderAcceptedEvent cancelled = accepted(HOME);
        special.put(cancelled.orderId(), new OrderWriteResult(cancelled.orderId(), OrderStatus.CANCELLED, 2));
        OrderAcceptedEvent unshippable = accepted(HOME);
        special.put(unshippable.orderId(), new ShipmentResult(ShipmentState.FAILED, false));

        runBatch(declined, cancelled, unshippable);

        assertThat(runRecords()).isEmpty();
        assertThat(sent).noneMatch(command -> command instanceof CompleteOrderCommand
                || command instanceof FailOrderCommand);
        assertThat(sent).filteredOn(RecordPaymentAuthorizedCommand.class::isInstance)
                        .extracting(command -> ((RecordPaymentAuthorizedCommand) command).orderId())
                        .doesNotContain(declined.orderId());
    }

    @Test
    void ordersWaitingForAnAddressOrAlreadyRunningAreNotTouched() throws Exception {
        OrderAcceptedEvent waiting = accepted(null);
        OrderAcceptedEvent running = accepted(HOME);
        alreadyRun.add(running.orderId().value());

        runBatch(waiting, running);

        assertThat(sent).isEmpty();
        verify(payments, never()).ask(any(), any(), eq(1));
    }

    @Test
    void anErrorOnTheWayLeavesTheOrderToTheSagaAndTheBatchGoesOn() throws Exception {
        OrderAcceptedEvent broken = accepted(HOME);
        special.put(broken.orderId(), new IllegalStateException("database went away"));
        OrderAcceptedEvent happy = accepted(HOME);

        runBatch(broken, happy);

        assertThat(runRecords()).containsExactly(happy.orderId().value());
    }

    @Test
    void theOrdersOfAGroupGoAlongThePathInThreeTransactionsWithTheInventoryLockedFirst() throws Exception {
        OrderAcceptedEvent[] orders = {accepted(HOME), accepted(HOME), accepted(HOME), accepted(HOME)};

        runBatch(orders);

        assertThat(runRecords()).hasSize(4);
        // One group in a transaction at once, so the batch is cut into two groups of two; three transactions each:
        // the reservations and their record; the payments' answers and the authorizations; the shipments, the stock
        // shipped and the completions.
        assertThat(transactionsStarted).hasValue(6);
        verify(locks, times(2)).lockForReserving(any());
        verify(locks, times(2)).lockForSettling(any());
    }

    @Test
    void aStepThatFailsForOneOrderOfItsGroupGoesOnOrderByOrderAndOnlyThatOrderLeavesThePath() throws Exception {
        OrderAcceptedEvent happy = accepted(HOME);
        OrderAcceptedEvent broken = accepted(HOME);
        OrderAcceptedEvent other = accepted(HOME);
        OrderAcceptedEvent another = accepted(HOME);
        special.put(broken.orderId(), new IllegalStateException("refused"));
        ParallelFulfillment oneGroup = new ParallelFulfillment(providerOf(gateway), providerOf(
                (TransactionManager) NoTransactionManager.INSTANCE), jdbc, Clock.systemUTC(), CrashPoints.none(),
                payments, locks, NoOpSpanFactory.INSTANCE,
                FulfillmentProperties.defaults().withStraightPath(1, 4, Duration.ofSeconds(5)));
        try {
            // Two groups: the first with the broken order, the second without.
            List<EventMessage<?>> events = List.of(GenericEventMessage.asEventMessage(happy),
                    GenericEventMessage.asEventMessage(broken), GenericEventMessage.asEventMessage(other),
                    GenericEventMessage.asEventMessage(another));
            oneGroup.intercept(new BatchingUnitOfWork<>(events), mock(InterceptorChain.class));
        } finally {
            oneGroup.destroy();
        }

        assertThat(runRecords()).containsExactlyInAnyOrder(happy.orderId().value(), other.orderId().value(),
                another.orderId().value());
        assertThat(sent).filteredOn(ReserveStockCommand.class::isInstance)
                .as("the first group together (rolled back at the refusal), then each on its own; the second "
                        + "together").hasSize(6);
    }

    @Test
    void aGroupWaitingForTheProviderHoldsNoTurnSoAnotherGroupReservesMeanwhile() throws Exception {
        // One turn, two groups: the first group's payment answers only once the second group has reserved. Had the
        // first group kept its turn while it waited, the second could not reserve and the answer would never come.
        OrderAcceptedEvent first = accepted(HOME);
        OrderAcceptedEvent second = accepted(HOME);
        java.util.concurrent.CountDownLatch secondReserved = new java.util.concurrent.CountDownLatch(1);
        doAnswer(call -> {
            Object command = ((CommandMessage<?>) call.getArgument(0)).getPayload();
            sent.add(command);
            if (command instanceof ReserveStockCommand reserve && reserve.orderId().equals(second.orderId())) {
                secondReserved.countDown();
            }
            return answer(command);
        }).when(gateway).sendAndWait(any(), anyLong(), any());
        doAnswer(call -> {
            if (call.getArgument(0).equals(first.orderId())
                    && !secondReserved.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the second group never reserved while the first waited");
            }
            return new PaymentAuthorization.Answered(new RecordPaymentOutcomeCommand(call.getArgument(0),
                    call.getArgument(1), 1, new PaymentOutcome.Authorized("key", Instant.now())));
        }).when(payments).ask(any(), any(), eq(1));

        runBatch(first, second);

        assertThat(runRecords()).containsExactlyInAnyOrder(first.orderId().value(), second.orderId().value());
    }

    @SuppressWarnings("unchecked")
    private static <T> ObjectProvider<T> providerOf(T object) {
        ObjectProvider<T> provider = mock(ObjectProvider.class);
        when(provider.getObject()).thenReturn(object);
        return provider;
    }

    @Test
    void theStraightPathsRunOncePerBatchWhateverTheNumberOfEvents() throws Exception {
        OrderAcceptedEvent one = accepted(HOME);
        OrderAcceptedEvent two = accepted(HOME);
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(
                List.of(GenericEventMessage.asEventMessage(one), GenericEventMessage.asEventMessage(two)));
        InterceptorChain chain = mock(InterceptorChain.class);

        fulfillment.intercept(batch, chain);
        fulfillment.intercept(batch, chain);

        verify(chain, times(2)).proceed();
        assertThat(sent).filteredOn(ReserveStockCommand.class::isInstance).hasSize(2);
    }

    private Object answer(Object command) {
        OrderId id = orderOf(command);
        Object special = this.special.get(id);
        if (special instanceof RuntimeException e) {
            throw e;
        }
        if (command instanceof ReserveStockCommand) {
            return special instanceof ReservationResult result ? result
                    : new ReservationResult(ReservationState.RESERVED, false);
        }
        if (command instanceof RecordPaymentOutcomeCommand) {
            return special instanceof PaymentResult result ? result : new PaymentResult(PaymentState.AUTHORIZED, false);
        }
        if (command instanceof ConfirmAuthorizationCommand) {
            return special instanceof LedgerEntry entry ? entry
                    : new LedgerEntry(PaymentState.AUTHORIZED, Money.of("10.00", "EUR"));
        }
        if (command instanceof ArrangeShipmentCommand) {
            return special instanceof ShipmentResult result ? result
                    : new ShipmentResult(ShipmentState.ARRANGED, false);
        }
        if (special instanceof OrderWriteResult cancelled) {
            return cancelled;
        }
        return new OrderWriteResult(id, OrderStatus.ACCEPTED, 1);
    }

    private static OrderId orderOf(Object command) {
        try {
            return (OrderId) command.getClass().getMethod("orderId").invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void runBatch(OrderAcceptedEvent... orders) throws Exception {
        List<EventMessage<?>> events = new ArrayList<>();
        for (OrderAcceptedEvent order : orders) {
            events.add(GenericEventMessage.asEventMessage(order));
        }
        fulfillment.intercept(new BatchingUnitOfWork<>(events), mock(InterceptorChain.class));
    }

    @SuppressWarnings("unchecked")
    private List<UUID> runRecords() {
        ArgumentCaptor<List<Object[]>> rows = ArgumentCaptor.forClass(List.class);
        verify(jdbc).batchUpdate(anyString(), rows.capture());
        return rows.getValue().stream().map(row -> (UUID) row[0]).toList();
    }

    private static OrderAcceptedEvent accepted(PostalAddress address) {
        BigDecimal price = new BigDecimal("10.00");
        return new OrderAcceptedEvent(OrderId.of(UUID.randomUUID().toString()),
                CustomerId.of(UUID.randomUUID().toString()),
                List.of(new OrderLine(new Sku("SKU-1"), "Beans", 1, price, price)), price, "EUR", address,
                address == null ? 3L : null, Instant.now(), 2);
    }
}
