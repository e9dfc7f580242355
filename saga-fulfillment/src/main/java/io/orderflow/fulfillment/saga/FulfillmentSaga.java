package io.orderflow.fulfillment.saga;

import io.orderflow.order.api.Money;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.address.DeliveryAddresses;
import io.orderflow.fulfillment.api.DeliveryAddressReadyEvent;
import io.orderflow.fulfillment.api.FulfillmentProcessors;
import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReleaseStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.AuthorizePaymentCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.ConfirmAuthorizationCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.LedgerEntry;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.VoidPaymentCommand;
import io.orderflow.fulfillment.payment.PaymentProviderUnreachableException;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.CancelShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCommands.CompleteOrderCommand;
import io.orderflow.order.api.OrderCommands.FailOrderCommand;
import io.orderflow.order.api.OrderCommands.MarkOrderAwaitingAddressCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderCommands.RecordShipmentArrangedCommand;
import io.orderflow.order.api.OrderCommands.RecordStockReservedCommand;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.order.api.OrderStatus;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Fulfils one accepted order: reserve stock, authorize payment, arrange shipment, complete; or fail with a reason,
 * having undone exactly what was done. It learns everything from Kafka ({@code orderflow.order-events} and
 * {@code orderflow.fulfillment-events}) and acts only through commands, each idempotent, each committed before the
 * step goes on ({@link SagaCommands}). Every handler first checks the step, so a redelivered or late event changes
 * nothing. Waits are persistent deadlines, each carrying the order id (a deadline handler's first parameter is its
 * payload). Sagas have no dead-letter queue: a saga that cannot go on is
 * {@link FulfillmentStep#STUCK} with its cause, visible to the operator (ADR 0008).
 */
@Saga
@ProcessingGroup(FulfillmentSaga.PROCESSING_GROUP)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class FulfillmentSaga {

    public static final String PROCESSING_GROUP = FulfillmentProcessors.FULFILLMENT;
    static final String ADDRESS_DEADLINE = "address-deadline";
    static final String PAYMENT_RETRY = "payment-retry";
    static final String COMPENSATION_RETRY = "compensation-retry";
    static final String ORDER_ID = "orderId";
    private static final Logger log = LoggerFactory.getLogger(FulfillmentSaga.class);

    private OrderId orderId;
    private CustomerId customerId;
    private List<StockLine> lines;
    private BigDecimal amount;
    private String currency;
    private PostalAddress deliveryAddress;
    private Long awaitedAddressVersion;
    private FulfillmentStep step;
    private FulfillmentStep stuckAt;
    private String stuckCause;
    private FailureReason failureReason;
    private boolean cancelled;
    private boolean stockRequested;
    private boolean paymentRequested;
    private boolean shipmentRequested;
    private int paymentAttempts;
    private String addressDeadlineId;
    private String retryDeadlineName;
    private String retryDeadlineId;

    public FulfillmentSaga() {
        // for the saga store
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(OrderAcceptedEvent event, SagaCommands commands, DeliveryAddresses addresses, FulfillmentRuns runs,
            DeadlineManager deadlines, FulfillmentSettings settings, CrashPoints crashPoints) {
        if (orderId != null) {
            return; // the same acceptance again, while this saga runs
        }
        if (!runs.begin(event.orderId())) {
            log.debug("Order {}: its fulfillment already ran (on its straight path, or a redelivery)", event.orderId());
            SagaLifecycle.end();
            return;
        }
        orderId = event.orderId();
        customerId = event.customerId();
        lines = event.lines().stream().map(line -> new StockLine(line.sku(), line.quantity())).toList();
        amount = event.totalAmount();
        currency = event.currency();
        Steps steps = new Steps(commands, deadlines, settings, crashPoints);
        if (event.deliveryAddress() != null) {
            deliveryAddress = event.deliveryAddress();
            reserveStock(steps);
            return;
        }
        awaitedAddressVersion = event.addressVersion();
        addresses.addressAtOrAwait(orderId, customerId, awaitedAddressVersion).ifPresentOrElse(address -> {
            deliveryAddress = address;
            reserveStock(steps);
        }, () -> {
            step = FulfillmentStep.AWAITING_ADDRESS;
            addressDeadlineId = deadlines.schedule(settings.addressWait(), ADDRESS_DEADLINE, orderId);
            log.info("Order {}: waiting up to {} for customer {} to reach address version {}", orderId,
                    settings.addressWait(), customerId, awaitedAddressVersion);
            send(commands, new MarkOrderAwaitingAddressCommand(orderId));
        });
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(DeliveryAddressReadyEvent event, SagaCommands commands, DeadlineManager deadlines,
            FulfillmentSettings settings, CrashPoints crashPoints) {
        if (step != FulfillmentStep.AWAITING_ADDRESS) {
            return;
        }
        deadlines.cancelSchedule(ADDRESS_DEADLINE, addressDeadlineId);
        addressDeadlineId = null;
        deliveryAddress = event.deliveryAddress();
        log.info("Order {}: address version {} arrived; going on", orderId, event.version());
        reserveStock(new Steps(commands, deadlines, settings, crashPoints));
    }

    @DeadlineHandler(deadlineName = ADDRESS_DEADLINE)
    void onAddressDeadline(OrderId deadlineOf, SagaCommands commands, DeliveryAddresses addresses) {
        if (step != FulfillmentStep.AWAITING_ADDRESS) {
            return;
        }
        addressDeadlineId = null;
        addresses.stopWaiting(orderId);
        log.info("Order {}: customer {} never reached address version {}; failing it", orderId, customerId,
                awaitedAddressVersion);
        fail(commands, FailureReason.ADDRESS_UNAVAILABLE);
    }

    @DeadlineHandler(deadlineName = PAYMENT_RETRY)
    void onPaymentRetry(OrderId deadlineOf, SagaCommands commands, DeadlineManager deadlines,
                        FulfillmentSettings settings, CrashPoints crashPoints) {
        retryDeadlineName = null;
        retryDeadlineId = null;
        if (step == FulfillmentStep.AUTHORIZING_PAYMENT || stuckAt(FulfillmentStep.AUTHORIZING_PAYMENT)) {
            authorizePayment(new Steps(commands, deadlines, settings, crashPoints));
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(OrderCancelledEvent event, SagaCommands commands, DeliveryAddresses addresses,
            DeadlineManager deadlines, FulfillmentSettings settings) {
        if (cancelled || orderId == null) {
            return;
        }
        cancelled = true;
        if (addressDeadlineId != null) {
            deadlines.cancelSchedule(ADDRESS_DEADLINE, addressDeadlineId);
            addressDeadlineId = null;
            addresses.stopWaiting(orderId);
        }
        cancelRetry(deadlines);
        log.info("Order {}: cancelled by the customer at step {}; undoing what was done", orderId, step);
        if (compensate(commands, deadlines, settings)) {
            SagaLifecycle.end();
        }
    }

    @DeadlineHandler(deadlineName = COMPENSATION_RETRY)
    void onCompensationRetry(OrderId deadlineOf, SagaCommands commands, DeadlineManager deadlines,
                             FulfillmentSettings settings) {
        retryDeadlineName = null;
        retryDeadlineId = null;
        if (!stuckAt(FulfillmentStep.COMPENSATING)) {
            return;
        }
        if (compensate(commands, deadlines, settings)) {
            finishCompensation(commands);
        }
    }

    // The steps. Every participant answers its command with the outcome, committed before the answer, so the saga
    // goes on from the answer within the same handler: a happy order runs from acceptance to completion without
    // waiting for its own participants' facts to come back through Kafka (they are still published, for everyone
    // else). The saga stops only where it must wait: for an address version, a payment retry, a stuck step, or the
    // cancellation that an order answered with. A repeated command answers the outcome decided before, so a step
    // repeated after a crash goes on the same way; a step that succeeded once and was settled or undone since (stock
    // shipped or released, a payment voided, a shipment cancelled) counts as done, and the later steps' answers
    // tell how the order ended.

    private void reserveStock(Steps steps) {
        step = FulfillmentStep.RESERVING_STOCK;
        stockRequested = true;
        ReservationResult result = send(steps.commands(), new ReserveStockCommand(orderId, lines));
        if (result == null) {
            return;
        }
        if (result.state() == ReservationState.RESERVED || result.state() == ReservationState.SHIPPED
                || result.state() == ReservationState.RELEASED) {
            stockReserved(steps);
        } else if (result.state() == ReservationState.REJECTED) {
            log.debug("Order {}: out of stock", orderId);
            fail(steps.commands(), FailureReason.OUT_OF_STOCK);
        }
    }

    private void stockReserved(Steps steps) {
        if (!orderGoesOn(send(steps.commands(), new RecordStockReservedCommand(orderId)))) {
            return;
        }
        steps.crashPoints().reach(CrashPoints.AFTER_STOCK_RESERVED);
        authorizePayment(steps);
    }

    private void authorizePayment(Steps steps) {
        step = FulfillmentStep.AUTHORIZING_PAYMENT;
        paymentRequested = true;
        paymentAttempts++;
        PaymentResult result = send(steps.commands(),
                new AuthorizePaymentCommand(orderId, Money.of(amount.toPlainString(), currency), paymentAttempts));
        if (result == null) {
            return;
        }
        switch (result.state()) {
            case AUTHORIZED, VOIDED -> paymentAuthorized(steps);
            case DECLINED -> {
                log.debug("Order {}: payment declined", orderId);
                paymentDeclined(steps.commands(), steps.deadlines(), steps.settings());
            }
            case UNDECIDED -> paymentUndecided(result, steps.commands(), steps.deadlines(), steps.settings());
        }
    }

    /** The attempt got no decision: try again on a deadline, fail if nothing is charged, or be stuck. */
    private void paymentUndecided(PaymentResult result, SagaCommands commands, DeadlineManager deadlines,
                                  FulfillmentSettings settings) {
        if (paymentAttempts < settings.paymentAttempts()) {
            Duration pause = settings.paymentRetryDelay().multipliedBy(paymentAttempts);
            log.warn("Order {}: payment attempt {} got no decision ({}); trying again in {}", orderId,
                    paymentAttempts, result.cause(), pause);
            scheduleRetry(deadlines, pause, PAYMENT_RETRY);
        } else if (Boolean.FALSE.equals(result.charged())) {
            log.warn("Order {}: no payment decision after {} attempts and the provider holds no charge; failing it",
                    orderId, paymentAttempts);
            compensateAndFail(commands, deadlines, settings, FailureReason.PAYMENT_UNAVAILABLE);
        } else {
            // Failing now could leave a charge nobody voids, and going on could ship unpaid: neither is allowed.
            stuck("whether the provider charged is unknown after " + paymentAttempts + " attempts: "
                    + result.cause());
            scheduleRetry(deadlines, settings.stuckRetryDelay(), PAYMENT_RETRY);
        }
    }

    private void paymentAuthorized(Steps steps) {
        cancelRetry(steps.deadlines());
        step = FulfillmentStep.AUTHORIZING_PAYMENT;
        // Nothing ships on a fact alone: the ledger says what the provider authorized, and the order refuses any
        // amount but its total (the amount this saga asked for came from a Kafka record, which could be forged).
        LedgerEntry ledger = send(steps.commands(), new ConfirmAuthorizationCommand(orderId));
        if (ledger == null) {
            return;
        }
        if (!ledger.authorizedOnce()) {
            stuck("the payment ledger holds no authorization to ship on (it records " + ledger + ")");
            return;
        }
        if (!orderGoesOn(send(steps.commands(), new RecordPaymentAuthorizedCommand(orderId, ledger.authorized())))) {
            return;
        }
        steps.crashPoints().reach(CrashPoints.BEFORE_SHIPMENT);
        if (deliveryAddress.isErased()) {
            // The customer was erased (docs/adr/0032) while the order was on its way: there is nowhere to ship to.
            log.info("Order {}: its customer was erased before shipping; failing it", orderId);
            compensateAndFail(steps.commands(), steps.deadlines(), steps.settings(), FailureReason.ADDRESS_UNAVAILABLE);
            return;
        }
        step = FulfillmentStep.ARRANGING_SHIPMENT;
        shipmentRequested = true;
        ShipmentResult result = send(steps.commands(), new ArrangeShipmentCommand(orderId, customerId, deliveryAddress));
        if (result == null) {
            return;
        }
        if (result.state() == ShipmentState.ARRANGED || result.state() == ShipmentState.CANCELLED) {
            shipmentArranged(steps.commands());
        } else if (result.state() == ShipmentState.FAILED) {
            log.debug("Order {}: shipment failed", orderId);
            compensateAndFail(steps.commands(), steps.deadlines(), steps.settings(), FailureReason.SHIPMENT_FAILED);
        }
    }

    private void paymentDeclined(SagaCommands commands, DeadlineManager deadlines, FulfillmentSettings settings) {
        cancelRetry(deadlines);
        compensateAndFail(commands, deadlines, settings, FailureReason.PAYMENT_DECLINED);
    }

    private void shipmentArranged(SagaCommands commands) {
        // Recording the shipment on the order is the point of no return: after it the customer can no longer
        // cancel, and before it a cancellation wins and undoes the shipment too.
        if (!orderGoesOn(send(commands, new RecordShipmentArrangedCommand(orderId)))) {
            return;
        }
        send(commands, new ShipReservedStockCommand(orderId));
        if (orderGoesOn(send(commands, new CompleteOrderCommand(orderId)))) {
            log.debug("Order {}: fulfilled", orderId);
            SagaLifecycle.end();
        }
    }

    private void fail(SagaCommands commands, FailureReason reason) {
        failureReason = reason;
        if (orderGoesOn(send(commands, new FailOrderCommand(orderId, reason)))) {
            SagaLifecycle.end();
        }
    }

    private void compensateAndFail(SagaCommands commands, DeadlineManager deadlines, FulfillmentSettings settings,
                                   FailureReason reason) {
        failureReason = reason;
        if (compensate(commands, deadlines, settings)) {
            finishCompensation(commands);
        }
    }

    private void finishCompensation(SagaCommands commands) {
        if (cancelled) {
            SagaLifecycle.end();
        } else {
            fail(commands, failureReason);
        }
    }

    /**
     * Undoes what this saga asked for, newest first. Each undo is idempotent and a no-op where nothing was done,
     * so the whole compensation may run again after a crash. Answers false if the payment could not be voided yet:
     * the saga is then stuck and tries again on a deadline.
     */
    private boolean compensate(SagaCommands commands, DeadlineManager deadlines, FulfillmentSettings settings) {
        step = FulfillmentStep.COMPENSATING;
        if (shipmentRequested) {
            send(commands, new CancelShipmentCommand(orderId));
        }
        if (paymentRequested) {
            try {
                send(commands, new VoidPaymentCommand(orderId));
            } catch (PaymentProviderUnreachableException e) {
                stuck("the payment could not be voided: " + e.getMessage());
                scheduleRetry(deadlines, settings.stuckRetryDelay(), COMPENSATION_RETRY);
                return false;
            }
        }
        if (stockRequested) {
            send(commands, new ReleaseStockCommand(orderId));
        }
        return step != FulfillmentStep.STUCK;
    }

    /** False if the order is no longer open to fulfillment (cancelled meanwhile) or the command was refused. */
    private boolean orderGoesOn(Object result) {
        if (step == FulfillmentStep.STUCK) {
            return false;
        }
        return !(result instanceof OrderWriteResult written) || written.status() != OrderStatus.CANCELLED;
    }

    private <R> R send(SagaCommands commands, Object command) {
        try {
            return commands.send(command);
        } catch (OrderRejectedException | AggregateNotFoundException e) {
            stuck(command.getClass().getSimpleName() + " was refused: " + e.getMessage());
            return null;
        }
    }

    private void stuck(String cause) {
        if (step != FulfillmentStep.STUCK) {
            stuckAt = step;
        }
        step = FulfillmentStep.STUCK;
        stuckCause = cause;
        log.error("Order {}: fulfillment stuck at {}: {}", orderId, stuckAt, cause);
    }

    private boolean stuckAt(FulfillmentStep at) {
        return step == FulfillmentStep.STUCK && stuckAt == at;
    }

    private void cancelRetry(DeadlineManager deadlines) {
        if (retryDeadlineId != null) {
            deadlines.cancelSchedule(retryDeadlineName, retryDeadlineId);
            retryDeadlineName = null;
            retryDeadlineId = null;
        }
    }

    private void scheduleRetry(DeadlineManager deadlines, Duration delay, String name) {
        retryDeadlineName = name;
        retryDeadlineId = deadlines.schedule(delay, name, orderId);
    }

    /** What the steps need, passed along (a saga holds no references to components: it is serialized). */
    private record Steps(SagaCommands commands, DeadlineManager deadlines, FulfillmentSettings settings,
                         CrashPoints crashPoints) {
    }
}
