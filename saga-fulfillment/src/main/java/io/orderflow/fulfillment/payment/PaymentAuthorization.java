package io.orderflow.fulfillment.payment;

import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.payment.PaymentCommands.RecordPaymentOutcomeCommand;
import io.orderflow.order.api.OrderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;

/**
 * An authorization that holds no database connection while the provider answers, for callers that run outside a
 * transaction (the fulfillment's straight path): the decision recorded before, if any, is read on its own; the
 * provider is asked with the order id as the idempotency key; and what it answered is recorded with its event by a
 * {@link RecordPaymentOutcomeCommand}, in a transaction of its own. A slow provider then costs each order time, not
 * the pool a connection. The guarantees are those of {@code AuthorizePaymentCommand}: a decision recorded once is
 * answered ever after, and a call repeated after a crash is answered by the provider from its ledger.
 */
@Component
public class PaymentAuthorization {

    private final PaymentProviderClient provider;
    private final JdbcTemplate jdbc;
    private final CrashPoints crashPoints;

    PaymentAuthorization(PaymentProviderClient provider, JdbcTemplate jdbc, CrashPoints crashPoints) {
        this.provider = provider;
        this.jdbc = jdbc;
        this.crashPoints = crashPoints;
    }

    /** Authorizes and answers the outcome; {@code send} sends the recording command and answers its result. */
    public PaymentResult authorize(OrderId orderId, BigDecimal amount, String currency, int attempt,
                                   Function<RecordPaymentOutcomeCommand, PaymentResult> send) {
        Optional<PaymentState> recorded = PaymentHandlers.recordedState(jdbc, orderId);
        if (recorded.isPresent()) {
            return new PaymentResult(recorded.get(), true);
        }
        crashPoints.reach(CrashPoints.BEFORE_PAYMENT_CALL);
        PaymentOutcome outcome = provider.authorize(PaymentHandlers.idempotencyKey(orderId), orderId.toString(),
                amount, currency);
        crashPoints.reach(CrashPoints.AFTER_PAYMENT_ANSWER);
        return send.apply(new RecordPaymentOutcomeCommand(orderId, amount, currency, attempt, outcome));
    }
}
