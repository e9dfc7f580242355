package io.orderflow.fulfillment.payment;

import io.orderflow.order.api.Money;
import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.payment.PaymentCommands.RecordPaymentOutcomeCommand;
import io.orderflow.order.api.OrderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * An authorization that holds no database connection while the provider answers, for callers that run outside a
 * transaction (the fulfillment's straight path): the decision recorded before, if any, is read on its own; the
 * provider is asked with the order id as the idempotency key; and what it answered is handed back as a
 * {@link RecordPaymentOutcomeCommand}, which the caller sends to record it with its event (for many orders in one
 * transaction, if it likes). A slow provider then costs each order time, not the pool a connection. The guarantees
 * are those of {@code AuthorizePaymentCommand}: a decision recorded once is answered ever after, and a call
 * repeated after a crash (before its answer was recorded) is answered by the provider from its ledger.
 */
@Component
public class PaymentAuthorization {

    /** What asking came to: a decision recorded before, or the provider's answer, to be recorded. */
    public sealed interface Asked {
    }

    /** The order's payment was decided before; nothing was asked. */
    public record Recorded(PaymentResult result) implements Asked {
    }

    /** The provider answered; sending the command records the answer and reports it. */
    public record Answered(RecordPaymentOutcomeCommand record) implements Asked {
    }

    private final PaymentProviderClient provider;
    private final JdbcTemplate jdbc;
    private final CrashPoints crashPoints;

    PaymentAuthorization(PaymentProviderClient provider, JdbcTemplate jdbc, CrashPoints crashPoints) {
        this.provider = provider;
        this.jdbc = jdbc;
        this.crashPoints = crashPoints;
    }

    /** Asks the provider for an authorization unless a decision was recorded before. */
    public Asked ask(OrderId orderId, Money amount, int attempt) {
        Optional<PaymentState> recorded = PaymentHandlers.recordedState(jdbc, orderId);
        if (recorded.isPresent()) {
            return new Recorded(new PaymentResult(recorded.get(), true));
        }
        crashPoints.reach(CrashPoints.BEFORE_PAYMENT_CALL);
        PaymentOutcome outcome = provider.authorize(PaymentHandlers.idempotencyKey(orderId), orderId.toString(),
                amount);
        crashPoints.reach(CrashPoints.AFTER_PAYMENT_ANSWER);
        return new Answered(new RecordPaymentOutcomeCommand(orderId, amount, attempt, outcome));
    }
}
