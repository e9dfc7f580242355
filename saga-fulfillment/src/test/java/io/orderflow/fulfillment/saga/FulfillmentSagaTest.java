package io.orderflow.fulfillment.saga;

import io.orderflow.fixtures.Examples;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.address.DeliveryAddresses;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReleaseStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.AuthorizePaymentCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.ConfirmAuthorizationCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.LedgerEntry;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.payment.PaymentCommands.VoidPaymentCommand;
import io.orderflow.fulfillment.payment.PaymentProviderUnreachableException;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.CancelShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderCommands.CompleteOrderCommand;
import io.orderflow.order.api.OrderCommands.FailOrderCommand;
import io.orderflow.order.api.OrderCommands.MarkOrderAwaitingAddressCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderCommands.RecordShipmentArrangedCommand;
import io.orderflow.order.api.OrderCommands.RecordStockReservedCommand;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.order.api.OrderStatus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static io.orderflow.fulfillment.saga.FulfillmentFixtures.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The fulfillment saga, given-when-then: the happy path, every compensation, a cancellation at every step where the
 * saga can be waiting, every deadline, and the redeliveries it must shrug off. The participants are played by
 * {@link Participants}, which answers each command as the real handler would (after committing); the saga goes on
 * from those answers.
 */
class FulfillmentSagaTest {

    private static final FulfillmentSettings SETTINGS = new FulfillmentSettings(Duration.ofMinutes(15), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(30));

    private SagaTestFixture<FulfillmentSaga> fixture;
    private DeliveryAddresses addresses;
    private FulfillmentRuns runs;
    private Participants participants;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(FulfillmentSaga.class);
        addresses = mock(DeliveryAddresses.class);
        runs = mock(FulfillmentRuns.class);
        when(runs.begin(any())).thenReturn(true);
        when(addresses.addressAtOrAwait(any(), any(), anyLong())).thenReturn(Optional.empty());
        fixture.registerResource(SagaCommands.onCallerThread(
                DefaultCommandGateway.builder().commandBus(fixture.getCommandBus()).build()));
        fixture.registerResource(addresses);
        fixture.registerResource(runs);
        fixture.registerResource(SETTINGS);
        fixture.registerResource(CrashPoints.none());
        participants = new Participants();
        fixture.setCallbackBehavior((command, metaData) -> participants.answer(command));
    }

    // The happy path: every participant answers at once, so one event runs the order to its end.

    @Test
    void whenOrderAcceptedWithAnAddress_thenEveryStepRunsFromTheAnswersAndTheSagaEnds() throws Exception {
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(straightPath(HOME))
               .expectActiveSagas(0)
               .expectNoScheduledDeadlines();
    }

    @Test
    void whenTheParticipantsAnswerRepeated_thenTheSagaGoesOnTheSameWay() throws Exception {
        // A step repeated after a crash: the participant answers the outcome decided before.
        participants.reservation = new ReservationResult(ReservationState.RESERVED, true);
        participants.payment = new PaymentResult(PaymentState.AUTHORIZED, true);
        participants.shipment = new ShipmentResult(ShipmentState.ARRANGED, true);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(straightPath(HOME))
               .expectActiveSagas(0);
    }

    @Test
    void whenTheStockWasShippedBeforeACrash_thenTheSagaGoesOnToCompletion() throws Exception {
        // The order's path got as far as shipping the stock; the crash came before it was completed.
        participants.reservation = new ReservationResult(ReservationState.SHIPPED, true);
        participants.payment = new PaymentResult(PaymentState.AUTHORIZED, true);
        participants.shipment = new ShipmentResult(ShipmentState.ARRANGED, true);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(straightPath(HOME))
               .expectActiveSagas(0);
    }

    @Test
    void whenAFailedShipmentWasUndoneBeforeACrash_thenTheOrderFailsForThatReason() throws Exception {
        // Compensation released the stock and voided the payment; the crash came before the order was failed.
        participants.reservation = new ReservationResult(ReservationState.RELEASED, true);
        participants.payment = new PaymentResult(PaymentState.VOIDED, true);
        participants.shipment = new ShipmentResult(ShipmentState.FAILED, true);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new ConfirmAuthorizationCommand(ORDER_ID),
                       new RecordPaymentAuthorizedCommand(ORDER_ID, TOTAL_MONEY),
                       new ArrangeShipmentCommand(ORDER_ID, CUSTOMER_ID, HOME),
                       new CancelShipmentCommand(ORDER_ID), new VoidPaymentCommand(ORDER_ID),
                       new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.SHIPMENT_FAILED))
               .expectActiveSagas(0);
    }

    // Failures and their compensation: exactly what was done is undone.

    @Test
    void whenOutOfStock_thenTheOrderFailsWithNothingToUndo() throws Exception {
        participants.reservation = new ReservationResult(ReservationState.REJECTED, false);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new FailOrderCommand(ORDER_ID, FailureReason.OUT_OF_STOCK))
               .expectActiveSagas(0);
    }

    @Test
    void whenPaymentDeclined_thenStockIsReleasedAndTheOrderFails() throws Exception {
        participants.payment = new PaymentResult(PaymentState.DECLINED, false);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_DECLINED))
               .expectActiveSagas(0);
    }

    @Test
    void whenShipmentFails_thenPaymentIsVoidedStockReleasedAndTheOrderFails() throws Exception {
        participants.shipment = new ShipmentResult(ShipmentState.FAILED, false);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new ConfirmAuthorizationCommand(ORDER_ID),
                       new RecordPaymentAuthorizedCommand(ORDER_ID, TOTAL_MONEY),
                       new ArrangeShipmentCommand(ORDER_ID, CUSTOMER_ID, HOME),
                       new CancelShipmentCommand(ORDER_ID), new VoidPaymentCommand(ORDER_ID),
                       new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.SHIPMENT_FAILED))
               .expectActiveSagas(0);
    }

    /** The customer was erased while the order was on its way (ADR 0032): nothing ships to an erased address. */
    @Test
    void givenAnErasedDeliveryAddress_whenPaid_thenNothingShipsPaymentIsVoidedStockReleasedAndTheOrderFails()
            throws Exception {
        fixture.givenNoPriorActivity()
               .whenPublishingA(Examples.accepted(ORDER_ID, HOME.erased()))
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new ConfirmAuthorizationCommand(ORDER_ID),
                       new RecordPaymentAuthorizedCommand(ORDER_ID, TOTAL_MONEY),
                       new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.ADDRESS_UNAVAILABLE))
               .expectActiveSagas(0);
    }

    // Cancellation: the order answers a step with CANCELLED once the customer cancelled; the saga then waits for
    // the cancellation and undoes what was done so far, and sends no failure (the order is cancelled).

    @Test
    void givenAwaitingAddress_whenCancelled_thenTheWaitEndsWithNothingToUndo() throws Exception {
        fixture.givenAPublished(acceptedWaitingForVersion(3))
               .whenPublishingA(cancelled())
               .expectNoDispatchedCommands()
               .expectNoScheduledDeadlines()
               .expectActiveSagas(0);
        verify(addresses).stopWaiting(ORDER_ID);
    }

    @Test
    void whenTheOrderWasCancelledBeforeTheReservationWasRecorded_thenNoPaymentIsAskedForAndTheStockIsReleased()
            throws Exception {
        participants.cancelledAt = RecordStockReservedCommand.class;
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new ReleaseStockCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    @Test
    void givenTheOrderWasCancelledBeforeTheReservationWasRecorded_thenTheSagaWaitsForTheCancellation()
            throws Exception {
        participants.cancelledAt = RecordStockReservedCommand.class;
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID))
               .expectActiveSagas(1);
    }

    @Test
    void whenCancelledBeforeThePaymentWasRecorded_thenThePaymentIsVoidedAndStockReleased() throws Exception {
        participants.cancelledAt = RecordPaymentAuthorizedCommand.class;
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    @Test
    void whenCancelledBeforeTheShipmentWasRecorded_thenShipmentCancelledPaymentVoidedAndStockReleased()
            throws Exception {
        participants.cancelledAt = RecordShipmentArrangedCommand.class;
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new CancelShipmentCommand(ORDER_ID), new VoidPaymentCommand(ORDER_ID),
                       new ReleaseStockCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    @Test
    void givenAPaymentRetryIsDue_whenCancelled_thenTheRetryIsDroppedThePaymentVoidedAndStockReleased()
            throws Exception {
        participants.payment = undecided(false);
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID))
               .expectNoScheduledDeadlines()
               .expectActiveSagas(0);
    }

    // The delivery address: the snapshot, or wait for the version under a deadline.

    @Test
    void whenOrderAcceptedNamingAVersionNotYetKnown_thenItWaitsUnderADeadline() throws Exception {
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWaitingForVersion(3))
               .expectDispatchedCommands(new MarkOrderAwaitingAddressCommand(ORDER_ID))
               .expectScheduledDeadlineWithName(Duration.ofMinutes(15), FulfillmentSaga.ADDRESS_DEADLINE)
               .expectActiveSagas(1);
    }

    @Test
    void whenOrderAcceptedNamingAVersionAlreadyKnown_thenItShipsThereAtOnce() throws Exception {
        when(addresses.addressAtOrAwait(ORDER_ID, CUSTOMER_ID, 3)).thenReturn(Optional.of(NEW_HOME));
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWaitingForVersion(3))
               .expectDispatchedCommands(straightPath(NEW_HOME))
               .expectNoScheduledDeadlines()
               .expectActiveSagas(0);
    }

    @Test
    void givenAwaitingAddress_whenTheVersionArrives_thenTheDeadlineIsCancelledAndItShipsToTheNewAddress()
            throws Exception {
        fixture.givenAPublished(acceptedWaitingForVersion(3))
               .whenPublishingA(addressReady(3))
               .expectDispatchedCommands(straightPath(NEW_HOME))
               .expectNoScheduledDeadlines()
               .expectActiveSagas(0);
    }

    @Test
    void givenTheAddressArrived_whenItArrivesAgain_thenNothingIsSent() throws Exception {
        participants.payment = undecided(false);
        fixture.givenAPublished(acceptedWaitingForVersion(3)).andThenAPublished(addressReady(3))
               .whenPublishingA(addressReady(4))
               .expectNoDispatchedCommands();
    }

    @Test
    void givenAwaitingAddress_whenTheDeadlinePasses_thenTheOrderFailsAddressUnavailable() throws Exception {
        fixture.givenAPublished(acceptedWaitingForVersion(3))
               .whenTimeElapses(Duration.ofMinutes(15))
               .expectDispatchedCommands(new FailOrderCommand(ORDER_ID, FailureReason.ADDRESS_UNAVAILABLE))
               .expectActiveSagas(0);
        verify(addresses).stopWaiting(ORDER_ID);
    }

    // Payment retries and the payment deadlines.

    @Test
    void whenAnAttemptGetsNoDecision_thenItIsRetriedOnADeadline() throws Exception {
        participants.payment = undecided(false);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1))
               .expectScheduledDeadlineWithName(Duration.ofSeconds(2), FulfillmentSaga.PAYMENT_RETRY)
               .expectActiveSagas(1);
    }

    @Test
    void givenAnAttemptGotNoDecision_whenTheRetryDeadlinePassesAndTheProviderDecides_thenFulfillmentGoesOn()
            throws Exception {
        participants.payment = undecided(false);
        ContinuedGivenState given = fixture.givenAPublished(acceptedWithAddress());
        participants.payment = new PaymentResult(PaymentState.AUTHORIZED, false);
        given.whenTimeElapses(Duration.ofSeconds(2))
               .expectDispatchedCommands(fromPayment(2))
               .expectActiveSagas(0);
    }

    @Test
    void givenTheLastAttemptFailedAndNothingIsCharged_thenPaymentIsFencedStockReleasedAndTheOrderFails()
            throws Exception {
        participants.payment = undecided(false);
        fixture.givenAPublished(acceptedWithAddress())
               .andThenTimeElapses(Duration.ofSeconds(2))
               .whenTimeElapses(Duration.ofSeconds(4))
               .expectDispatchedCommands(new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 3),
                       new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_UNAVAILABLE))
               .expectActiveSagas(0);
    }

    @Test
    void givenTheLastAttemptFailedAndTheChargeIsUnknown_thenTheSagaIsStuckAndKeepsAsking() throws Exception {
        participants.payment = undecided(null);
        fixture.givenAPublished(acceptedWithAddress())
               .andThenTimeElapses(Duration.ofSeconds(2))
               .whenTimeElapses(Duration.ofSeconds(4))
               .expectDispatchedCommands(new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 3))
               .expectActiveSagas(1)
               .expectScheduledDeadlineWithName(Duration.ofSeconds(30), FulfillmentSaga.PAYMENT_RETRY);
    }

    @Test
    void givenStuckOnAnUnknownCharge_whenTheProviderAuthorizesAfterAll_thenFulfillmentGoesOn() throws Exception {
        participants.payment = undecided(null);
        ContinuedGivenState given = fixture.givenAPublished(acceptedWithAddress())
               .andThenTimeElapses(Duration.ofSeconds(2))
               .andThenTimeElapses(Duration.ofSeconds(4));
        participants.payment = new PaymentResult(PaymentState.AUTHORIZED, true);
        given.whenTimeElapses(Duration.ofSeconds(30))
               .expectDispatchedCommands(fromPayment(4))
               .expectNoScheduledDeadlines()
               .expectActiveSagas(0);
    }

    @Test
    void givenTheVoidCannotReachTheProvider_thenTheSagaIsStuckAndRetriesTheCompensationOnADeadline() throws Exception {
        participants.payment = new PaymentResult(PaymentState.DECLINED, false);
        participants.voidUnreachable = 1;
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new VoidPaymentCommand(ORDER_ID))
               .expectActiveSagas(1)
               .expectScheduledDeadlineWithName(Duration.ofSeconds(30), FulfillmentSaga.COMPENSATION_RETRY);
    }

    @Test
    void givenStuckInCompensation_whenTheRetryDeadlinePassesAndTheProviderIsBack_thenItFinishesAndFails()
            throws Exception {
        participants.payment = new PaymentResult(PaymentState.DECLINED, false);
        participants.voidUnreachable = 1;
        fixture.givenAPublished(acceptedWithAddress())
               .whenTimeElapses(Duration.ofSeconds(30))
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_DECLINED))
               .expectActiveSagas(0);
    }

    @Test
    void givenAStepIsRefusedByTheOrder_thenTheSagaIsStuckInsteadOfRetryingForever() throws Exception {
        participants.refused = RecordStockReservedCommand.class;
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID))
               .expectActiveSagas(1);
    }

    // Nothing ships on a fact alone (a forged or wrong authorization costs money).

    /** A ledger with no payment for the order, and one that records the provider's decline. */
    static java.util.stream.Stream<LedgerEntry> ledgersWithoutAnAuthorization() {
        return java.util.stream.Stream.of(new LedgerEntry(null, null), new LedgerEntry(PaymentState.DECLINED, null));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("ledgersWithoutAnAuthorization")
    void givenTheLedgerHoldsNoAuthorization_thenTheSagaIsStuckAndNothingShips(LedgerEntry ledger) throws Exception {
        participants.ledger = ledger;
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID), new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new ConfirmAuthorizationCommand(ORDER_ID))
               .expectActiveSagas(1);
    }

    @Test
    void givenTheOrderRefusesTheLedgersAmount_thenTheSagaIsStuckAndNothingShips() throws Exception {
        // The acceptance the saga started from said less than the order's total (a forged record, say): the
        // ledger's amount is what was authorized, and the order refuses it.
        Money forgedTotal = Money.of("0.01", TOTAL_MONEY.currency().getCurrencyCode());
        participants.ledger = new LedgerEntry(PaymentState.AUTHORIZED, forgedTotal);
        participants.refused = RecordPaymentAuthorizedCommand.class;
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID), new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1),
                       new ConfirmAuthorizationCommand(ORDER_ID),
                       new RecordPaymentAuthorizedCommand(ORDER_ID, forgedTotal))
               .expectActiveSagas(1);
    }

    // Redeliveries change nothing.

    @Test
    void givenRunning_whenTheAcceptanceArrivesAgain_thenNothingIsSent() throws Exception {
        participants.payment = undecided(false);
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(acceptedWithAddress())
               .expectNoDispatchedCommands()
               .expectActiveSagas(1);
    }

    @Test
    void givenTheOrderWasFulfilledBefore_whenItsAcceptanceIsRedelivered_thenNoSecondFulfillmentStarts()
            throws Exception {
        when(runs.begin(ORDER_ID)).thenReturn(false);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectNoDispatchedCommands()
               .expectActiveSagas(0);
    }

    @Test
    void givenTheSagaEnded_whenItsOwnParticipantsFactsArrive_thenNothingIsSent() throws Exception {
        // The facts are published for other contexts; the saga has moved on from the answers already.
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(stockReserved())
               .expectNoDispatchedCommands()
               .expectActiveSagas(0);
    }

    /** Every command of an order's straight path, from the reservation to completion. */
    private static Object[] straightPath(PostalAddress to) {
        return new Object[]{new ReserveStockCommand(ORDER_ID, LINES), new RecordStockReservedCommand(ORDER_ID),
                new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, 1), new ConfirmAuthorizationCommand(ORDER_ID),
                       new RecordPaymentAuthorizedCommand(ORDER_ID, TOTAL_MONEY),
                new ArrangeShipmentCommand(ORDER_ID, CUSTOMER_ID, to), new RecordShipmentArrangedCommand(ORDER_ID),
                new ShipReservedStockCommand(ORDER_ID), new CompleteOrderCommand(ORDER_ID)};
    }

    /** The commands from a payment attempt that is authorized to completion. */
    private static Object[] fromPayment(int attempt) {
        return new Object[]{new AuthorizePaymentCommand(ORDER_ID, TOTAL_MONEY, attempt),
                new ConfirmAuthorizationCommand(ORDER_ID),
                       new RecordPaymentAuthorizedCommand(ORDER_ID, TOTAL_MONEY), new ArrangeShipmentCommand(ORDER_ID, CUSTOMER_ID, HOME),
                new RecordShipmentArrangedCommand(ORDER_ID), new ShipReservedStockCommand(ORDER_ID),
                new CompleteOrderCommand(ORDER_ID)};
    }

    private static PaymentResult undecided(Boolean charged) {
        return new PaymentResult(PaymentState.UNDECIDED, false, charged, "provider answered 503");
    }

    /**
     * The participants and the Order aggregate, answering each command as their handlers would. By default every
     * step succeeds; a test changes one answer.
     */
    private static final class Participants {
        ReservationResult reservation = new ReservationResult(ReservationState.RESERVED, false);
        PaymentResult payment = new PaymentResult(PaymentState.AUTHORIZED, false);
        /** What the payment ledger records when the saga confirms the authorization before shipping. */
        LedgerEntry ledger = new LedgerEntry(PaymentState.AUTHORIZED, TOTAL_MONEY);
        ShipmentResult shipment = new ShipmentResult(ShipmentState.ARRANGED, false);
        /** The order command that the aggregate answers CANCELLED (the customer cancelled just before it). */
        Class<?> cancelledAt;
        /** The order command that the aggregate refuses. */
        Class<?> refused;
        /** How many void commands find the provider unreachable. */
        int voidUnreachable;

        Object answer(Object command) {
            if (command.getClass().equals(refused)) {
                throw new OrderRejectedException(OrderRejectedException.Reason.INVALID_TRANSITION, null, "no");
            }
            if (command.getClass().equals(cancelledAt)) {
                return new OrderWriteResult(ORDER_ID, OrderStatus.CANCELLED, 3);
            }
            if (command instanceof ReserveStockCommand) {
                return reservation;
            }
            if (command instanceof AuthorizePaymentCommand) {
                return payment;
            }
            if (command instanceof ConfirmAuthorizationCommand) {
                return ledger;
            }
            if (command instanceof ArrangeShipmentCommand) {
                return shipment;
            }
            if (command instanceof VoidPaymentCommand) {
                if (voidUnreachable > 0) {
                    voidUnreachable--;
                    throw new PaymentProviderUnreachableException("connection refused", null);
                }
                return PaymentState.VOIDED;
            }
            if (command instanceof ReleaseStockCommand) {
                return ReservationState.RELEASED;
            }
            if (command instanceof CancelShipmentCommand) {
                return ShipmentState.CANCELLED;
            }
            return null;
        }
    }
}
