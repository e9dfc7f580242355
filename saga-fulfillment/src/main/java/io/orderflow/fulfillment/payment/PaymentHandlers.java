package io.orderflow.fulfillment.payment;

import io.orderflow.order.api.Money;
import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.api.PaymentAttemptFailedEvent;
import io.orderflow.fulfillment.api.PaymentAuthorizedEvent;
import io.orderflow.fulfillment.api.PaymentDeclinedEvent;
import io.orderflow.fulfillment.api.PaymentVoidedEvent;
import io.orderflow.fulfillment.payment.PaymentCommands.AuthorizePaymentCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.ConfirmAuthorizationCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.LedgerEntry;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.payment.PaymentCommands.RecordPaymentOutcomeCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.VoidPaymentCommand;
import io.orderflow.order.api.OrderId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/**
 * The payment participant: authorizes and voids at the provider over HTTP, with the order id as the idempotency
 * key, and records each decision with the event that reports it. A decision recorded once is answered from the
 * table ever after, so a redelivered command neither calls the provider nor reports twice; a call repeated after a
 * crash is answered by the provider from its own ledger, so it never charges twice.
 */
@Component
class PaymentHandlers {

    private final PaymentProviderClient provider;
    private final JdbcTemplate jdbc;
    private final EventGateway events;
    private final Clock clock;
    private final CrashPoints crashPoints;

    PaymentHandlers(PaymentProviderClient provider, JdbcTemplate jdbc, EventGateway events, Clock clock,
                    CrashPoints crashPoints) {
        this.provider = provider;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.crashPoints = crashPoints;
    }

    @CommandHandler
    PaymentResult handle(AuthorizePaymentCommand command) {
        Optional<PaymentState> recorded = stateOf(command.orderId());
        if (recorded.isPresent()) {
            return new PaymentResult(recorded.get(), true);
        }
        String key = idempotencyKey(command.orderId());
        crashPoints.reach(CrashPoints.BEFORE_PAYMENT_CALL);
        PaymentOutcome outcome = provider.authorize(key, command.orderId().toString(), command.amount());
        crashPoints.reach(CrashPoints.AFTER_PAYMENT_ANSWER);
        return record(command.orderId(), command.amount(), command.attempt(), outcome);
    }

    @CommandHandler
    PaymentResult handle(RecordPaymentOutcomeCommand command) {
        Optional<PaymentState> recorded = stateOf(command.orderId());
        if (recorded.isPresent()) {
            return new PaymentResult(recorded.get(), true);
        }
        return record(command.orderId(), command.amount(), command.attempt(), command.outcome());
    }

    /** Records a decision with the event that reports it; an attempt without a decision is only reported. */
    private PaymentResult record(OrderId orderId, Money money, int attempt, PaymentOutcome outcome) {
        String key = idempotencyKey(orderId);
        BigDecimal amount = money.amount();
        String currency = money.currency().getCurrencyCode();
        if (outcome instanceof PaymentOutcome.Authorized authorized) {
            record(orderId, PaymentState.AUTHORIZED, amount, currency);
            // The event keeps its published shape (amount and currency side by side, revision 1).
            events.publish(new PaymentAuthorizedEvent(orderId, key, amount, currency, authorized.at()));
            return new PaymentResult(PaymentState.AUTHORIZED, false);
        }
        if (outcome instanceof PaymentOutcome.Declined declined) {
            record(orderId, PaymentState.DECLINED, amount, currency);
            events.publish(new PaymentDeclinedEvent(orderId, key, declined.reason()));
            return new PaymentResult(PaymentState.DECLINED, false);
        }
        if (outcome instanceof PaymentOutcome.Unavailable unavailable) {
            events.publish(new PaymentAttemptFailedEvent(orderId, attempt, false, unavailable.cause()));
            return new PaymentResult(PaymentState.UNDECIDED, false, false, unavailable.cause());
        }
        String cause = outcome instanceof PaymentOutcome.Unknown unknown ? unknown.cause() : String.valueOf(outcome);
        events.publish(new PaymentAttemptFailedEvent(orderId, attempt, null, cause));
        return new PaymentResult(PaymentState.UNDECIDED, false, null, cause);
    }

    @CommandHandler
    PaymentState handle(VoidPaymentCommand command) {
        Optional<PaymentState> recorded = stateOf(command.orderId());
        if (recorded.isPresent() && recorded.get() != PaymentState.AUTHORIZED) {
            return recorded.get();
        }
        String key = idempotencyKey(command.orderId());
        VoidOutcome outcome = provider.voidAuthorization(key, command.orderId().toString());
        if (outcome instanceof VoidOutcome.Unreachable unreachable) {
            throw new PaymentProviderUnreachableException("the provider could not be reached to void " + key + ": "
                    + unreachable.cause(), null);
        }
        if (outcome instanceof VoidOutcome.NotCharged) {
            record(command.orderId(), PaymentState.DECLINED, null, null);
            return PaymentState.DECLINED;
        }
        record(command.orderId(), PaymentState.VOIDED, null, null);
        events.publish(new PaymentVoidedEvent(command.orderId(), key));
        return PaymentState.VOIDED;
    }

    @CommandHandler
    LedgerEntry handle(ConfirmAuthorizationCommand command) {
        return jdbc.query("select state, amount, currency from payment where order_id = ?", (row, i) -> {
            BigDecimal amount = row.getBigDecimal(2);
            String currency = row.getString(3);
            return new LedgerEntry(PaymentState.valueOf(row.getString(1)),
                    amount == null || currency == null ? null : Money.of(amount.toPlainString(), currency));
        }, command.orderId().value()).stream().findFirst().orElse(new LedgerEntry(null, null));
    }

    static String idempotencyKey(OrderId orderId) {
        return orderId.toString();
    }

    private void record(OrderId orderId, PaymentState state, BigDecimal amount, String currency) {
        jdbc.update("insert into payment (order_id, idempotency_key, state, amount, currency, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?) on conflict (order_id) do update set state = excluded.state, "
                        + "updated_at = excluded.updated_at", orderId.value(), idempotencyKey(orderId), state.name(),
                amount, currency, Timestamp.from(clock.instant()));
    }

    private Optional<PaymentState> stateOf(OrderId orderId) {
        return recordedState(jdbc, orderId);
    }

    /** The payment decision recorded for the order, if any. */
    static Optional<PaymentState> recordedState(JdbcTemplate jdbc, OrderId orderId) {
        return jdbc.query("select state from payment where order_id = ?",
                (row, i) -> PaymentState.valueOf(row.getString(1)), orderId.value()).stream().findFirst();
    }
}
