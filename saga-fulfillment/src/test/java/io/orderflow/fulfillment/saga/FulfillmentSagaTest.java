package io.orderflow.fulfillment.saga;

import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.address.DeliveryAddresses;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReleaseStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.AuthorizePaymentCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.payment.PaymentCommands.VoidPaymentCommand;
import io.orderflow.fulfillment.payment.PaymentProviderUnreachableException;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.CancelShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.FailureReason;
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
 * The fulfillment saga, given-when-then: the happy path, every compensation, a cancellation at every step, every
 * deadline, and the redeliveries it must shrug off.
 */
class FulfillmentSagaTest {

    private static final FulfillmentSettings SETTINGS = new FulfillmentSettings(Duration.ofMinutes(15), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(30));

    private SagaTestFixture<FulfillmentSaga> fixture;
    private DeliveryAddresses addresses;
    private FulfillmentRuns runs;

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
    }

    // The happy path, step by step.

    @Test
    void whenOrderAcceptedWithAnAddress_thenStockIsReserved() throws Exception {
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectActiveSagas(1)
               .expectAssociationWith("orderId", ORDER_ID)
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES))
               .expectNoScheduledDeadlines();
    }

    @Test
    void givenAccepted_whenStockReserved_thenTheOrderRecordsItAndPaymentIsAuthorized() throws Exception {
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(stockReserved())
               .expectDispatchedCommands(new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL, "EUR", 1));
    }

    @Test
    void givenStockReserved_whenPaymentAuthorized_thenShipmentIsArrangedToTheSnapshotAddress() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(paymentAuthorized())
               .expectDispatchedCommands(new RecordPaymentAuthorizedCommand(ORDER_ID),
                       new ArrangeShipmentCommand(ORDER_ID, HOME));
    }

    @Test
    void givenPaymentAuthorized_whenShipmentArranged_thenStockShipsTheOrderCompletesAndTheSagaEnds() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .andThenAPublished(paymentAuthorized())
               .whenPublishingA(shipmentArranged())
               .expectDispatchedCommands(new RecordShipmentArrangedCommand(ORDER_ID),
                       new ShipReservedStockCommand(ORDER_ID), new CompleteOrderCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    // Failures and their compensation: exactly what was done is undone.

    @Test
    void givenAccepted_whenOutOfStock_thenTheOrderFailsWithNothingToUndo() throws Exception {
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(outOfStock())
               .expectDispatchedCommands(new FailOrderCommand(ORDER_ID, FailureReason.OUT_OF_STOCK))
               .expectActiveSagas(0);
    }

    @Test
    void givenStockReserved_whenPaymentDeclined_thenStockIsReleasedAndTheOrderFails() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(paymentDeclined())
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_DECLINED))
               .expectActiveSagas(0);
    }

    @Test
    void givenPaymentAuthorized_whenShipmentFailed_thenPaymentIsVoidedStockReleasedAndTheOrderFails() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .andThenAPublished(paymentAuthorized())
               .whenPublishingA(shipmentFailed())
               .expectDispatchedCommands(new CancelShipmentCommand(ORDER_ID), new VoidPaymentCommand(ORDER_ID),
                       new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.SHIPMENT_FAILED))
               .expectActiveSagas(0);
    }

    // Cancellation at every step undoes what was done so far, and sends no failure (the order is cancelled).

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
    void givenReservingStock_whenCancelled_thenTheReservationIsReleased() throws Exception {
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new ReleaseStockCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    @Test
    void givenAuthorizingPayment_whenCancelled_thenThePaymentIsVoidedAndStockReleased() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    @Test
    void givenArrangingShipment_whenCancelled_thenShipmentCancelledPaymentVoidedAndStockReleased() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .andThenAPublished(paymentAuthorized())
               .whenPublishingA(cancelled())
               .expectDispatchedCommands(new CancelShipmentCommand(ORDER_ID), new VoidPaymentCommand(ORDER_ID),
                       new ReleaseStockCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    @Test
    void givenTheOrderWasCancelledMeanwhile_whenStockReserved_thenNoPaymentIsAskedFor() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> command instanceof RecordStockReservedCommand
                ? new OrderWriteResult(ORDER_ID, OrderStatus.CANCELLED, 3) : null);
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(stockReserved())
               .expectDispatchedCommands(new RecordStockReservedCommand(ORDER_ID))
               .expectActiveSagas(1);
    }

    // The delivery address: the snapshot, or wait for the version under a deadline.

    @Test
    void whenOrderAcceptedNamingAVersionNotYetKnown_thenItWaitsUnderADeadline() throws Exception {
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWaitingForVersion(3))
               .expectDispatchedCommands(new MarkOrderAwaitingAddressCommand(ORDER_ID))
               .expectScheduledDeadlineWithName(Duration.ofMinutes(15), FulfillmentSaga.ADDRESS_DEADLINE);
    }

    @Test
    void whenOrderAcceptedNamingAVersionAlreadyKnown_thenStockIsReservedAtOnce() throws Exception {
        when(addresses.addressAtOrAwait(ORDER_ID, CUSTOMER_ID, 3)).thenReturn(Optional.of(NEW_HOME));
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWaitingForVersion(3))
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES))
               .expectNoScheduledDeadlines();
    }

    @Test
    void givenAwaitingAddress_whenTheVersionArrives_thenTheDeadlineIsCancelledAndItShipsToTheNewAddress()
            throws Exception {
        fixture.givenAPublished(acceptedWaitingForVersion(3))
               .whenPublishingA(addressReady(3))
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES))
               .expectNoScheduledDeadlines();
    }

    @Test
    void givenANewerVersionArrivedWhileWaiting_whenPaymentAuthorized_thenItShipsToTheNewerAddress() throws Exception {
        fixture.givenAPublished(acceptedWaitingForVersion(3)).andThenAPublished(addressReady(4))
               .andThenAPublished(stockReserved())
               .whenPublishingA(paymentAuthorized())
               .expectDispatchedCommands(new RecordPaymentAuthorizedCommand(ORDER_ID),
                       new ArrangeShipmentCommand(ORDER_ID, NEW_HOME));
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
    void givenAuthorizingPayment_whenAnAttemptGetsNoDecision_thenItIsRetriedOnADeadline() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(paymentAttemptFailed(1, false))
               .expectNoDispatchedCommands()
               .expectScheduledDeadlineWithName(Duration.ofSeconds(2), FulfillmentSaga.PAYMENT_RETRY);
    }

    @Test
    void givenAnAttemptGotNoDecision_whenTheRetryDeadlinePasses_thenTheNextAttemptIsMade() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .andThenAPublished(paymentAttemptFailed(1, false))
               .whenTimeElapses(Duration.ofSeconds(2))
               .expectDispatchedCommands(new AuthorizePaymentCommand(ORDER_ID, TOTAL, "EUR", 2));
    }

    @Test
    void givenTheLastAttemptFailedAndNothingIsCharged_thenPaymentIsFencedStockReleasedAndTheOrderFails()
            throws Exception {
        givenTwoPaymentAttemptsGotNoDecision(false)
               .whenPublishingA(paymentAttemptFailed(3, false))
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_UNAVAILABLE))
               .expectActiveSagas(0);
    }

    @Test
    void givenTheLastAttemptFailedAndTheChargeIsUnknown_thenTheSagaIsStuckAndKeepsAsking() throws Exception {
        givenTwoPaymentAttemptsGotNoDecision(null)
               .whenPublishingA(paymentAttemptFailed(3, null))
               .expectNoDispatchedCommands()
               .expectActiveSagas(1)
               .expectScheduledDeadlineWithName(Duration.ofSeconds(30), FulfillmentSaga.PAYMENT_RETRY);
    }

    @Test
    void givenStuckOnAnUnknownCharge_whenTheRetryDeadlinePasses_thenThePaymentIsAskedForAgain() throws Exception {
        givenTwoPaymentAttemptsGotNoDecision(null)
               .andThenAPublished(paymentAttemptFailed(3, null))
               .whenTimeElapses(Duration.ofSeconds(30))
               .expectDispatchedCommands(new AuthorizePaymentCommand(ORDER_ID, TOTAL, "EUR", 4));
    }

    @Test
    void givenStuckOnAnUnknownCharge_whenTheProviderAuthorizesAfterAll_thenFulfillmentGoesOn() throws Exception {
        givenTwoPaymentAttemptsGotNoDecision(null)
               .andThenAPublished(paymentAttemptFailed(3, null))
               .whenPublishingA(paymentAuthorized())
               .expectDispatchedCommands(new RecordPaymentAuthorizedCommand(ORDER_ID),
                       new ArrangeShipmentCommand(ORDER_ID, HOME))
               .expectNoScheduledDeadlines();
    }

    @Test
    void givenTheVoidCannotReachTheProvider_thenTheSagaIsStuckAndRetriesTheCompensationOnADeadline() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof VoidPaymentCommand) {
                throw new PaymentProviderUnreachableException("connection refused", null);
            }
            return null;
        });
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(paymentDeclined())
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID))
               .expectActiveSagas(1)
               .expectScheduledDeadlineWithName(Duration.ofSeconds(30), FulfillmentSaga.COMPENSATION_RETRY);
    }

    @Test
    void givenStuckInCompensation_whenTheRetryDeadlinePassesAndTheProviderIsBack_thenItFinishesAndFails()
            throws Exception {
        boolean[] providerDown = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof VoidPaymentCommand && providerDown[0]) {
                providerDown[0] = false;
                throw new PaymentProviderUnreachableException("connection refused", null);
            }
            return null;
        });
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .andThenAPublished(paymentDeclined())
               .whenTimeElapses(Duration.ofSeconds(30))
               .expectDispatchedCommands(new VoidPaymentCommand(ORDER_ID), new ReleaseStockCommand(ORDER_ID),
                       new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_DECLINED))
               .expectActiveSagas(0);
    }

    @Test
    void givenAStepIsRefusedByTheOrder_thenTheSagaIsStuckInsteadOfRetryingForever() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof RecordStockReservedCommand) {
                throw new OrderRejectedException(OrderRejectedException.Reason.INVALID_TRANSITION, null, "no");
            }
            return null;
        });
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(stockReserved())
               .expectDispatchedCommands(new RecordStockReservedCommand(ORDER_ID))
               .expectActiveSagas(1);
    }

    /** Stock reserved, and two authorization attempts got no decision; the third is due. */
    private ContinuedGivenState givenTwoPaymentAttemptsGotNoDecision(Boolean charged) throws Exception {
        return fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
                      .andThenAPublished(paymentAttemptFailed(1, charged))
                      .andThenTimeElapses(Duration.ofSeconds(2))
                      .andThenAPublished(paymentAttemptFailed(2, charged))
                      .andThenTimeElapses(Duration.ofSeconds(4));
    }

    // A step repeated after a crash: the participant answers "decided before" and sends no event, so the saga goes
    // on from the answer (the earlier event may have been read while the saga's state was rolled back).

    @Test
    void whenTheReservationWasDecidedBefore_thenTheSagaGoesOnFromTheAnswer() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> command instanceof ReserveStockCommand
                ? new ReservationResult(ReservationState.RESERVED, true) : null);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL, "EUR", 1));
    }

    @Test
    void whenTheReservationWasRejectedBefore_thenTheOrderFailsOutOfStock() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> command instanceof ReserveStockCommand
                ? new ReservationResult(ReservationState.REJECTED, true) : null);
        fixture.givenNoPriorActivity()
               .whenPublishingA(acceptedWithAddress())
               .expectDispatchedCommands(new ReserveStockCommand(ORDER_ID, LINES),
                       new FailOrderCommand(ORDER_ID, FailureReason.OUT_OF_STOCK))
               .expectActiveSagas(0);
    }

    @Test
    void whenThePaymentWasAuthorizedBefore_thenTheShipmentIsArrangedAtOnce() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> command instanceof AuthorizePaymentCommand
                ? new PaymentResult(PaymentState.AUTHORIZED, true) : null);
        fixture.givenAPublished(acceptedWithAddress())
               .whenPublishingA(stockReserved())
               .expectDispatchedCommands(new RecordStockReservedCommand(ORDER_ID),
                       new AuthorizePaymentCommand(ORDER_ID, TOTAL, "EUR", 1),
                       new RecordPaymentAuthorizedCommand(ORDER_ID), new ArrangeShipmentCommand(ORDER_ID, HOME));
    }

    @Test
    void whenTheShipmentWasArrangedBefore_thenTheOrderCompletes() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> command instanceof ArrangeShipmentCommand
                ? new ShipmentResult(ShipmentState.ARRANGED, true) : null);
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(paymentAuthorized())
               .expectDispatchedCommands(new RecordPaymentAuthorizedCommand(ORDER_ID),
                       new ArrangeShipmentCommand(ORDER_ID, HOME), new RecordShipmentArrangedCommand(ORDER_ID),
                       new ShipReservedStockCommand(ORDER_ID), new CompleteOrderCommand(ORDER_ID))
               .expectActiveSagas(0);
    }

    // Redeliveries change nothing.

    @Test
    void givenStockReserved_whenTheSameFactArrivesAgain_thenNothingIsSent() throws Exception {
        fixture.givenAPublished(acceptedWithAddress()).andThenAPublished(stockReserved())
               .whenPublishingA(stockReserved())
               .expectNoDispatchedCommands();
    }

    @Test
    void givenRunning_whenTheAcceptanceArrivesAgain_thenNothingIsSent() throws Exception {
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
}
