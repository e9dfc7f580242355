package io.orderflow.fulfillment.payment;

import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderId;

import java.util.Objects;

/**
 * What the fulfillment saga asks of the payment participant. The order id is the idempotency key at the provider,
 * so repeating a command never charges twice.
 */
public final class PaymentCommands {

    private PaymentCommands() {
    }

    /** Authorize the order's total; {@code attempt} counts the saga's tries, starting at 1. */
    public record AuthorizePaymentCommand(OrderId orderId, Money amount, int attempt) {
        public AuthorizePaymentCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
            Objects.requireNonNull(amount, "amount must not be null");
        }
    }

    /**
     * Record what the provider answered to an authorization that the caller asked for itself, outside any database
     * transaction ({@link PaymentAuthorization}): the same recording and event as {@link AuthorizePaymentCommand},
     * without a connection held while the provider answers. Answers as that command does; if the payment was
     * decided before, that decision, repeated.
     */
    public record RecordPaymentOutcomeCommand(OrderId orderId, Money amount, int attempt, PaymentOutcome outcome) {
        public RecordPaymentOutcomeCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
            Objects.requireNonNull(amount, "amount must not be null");
            Objects.requireNonNull(outcome, "outcome must not be null");
        }
    }

    /** Void the order's authorization, or make sure none can happen any more (compensation). */
    public record VoidPaymentCommand(OrderId orderId) {
        public VoidPaymentCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /**
     * Before anything ships: what the payment ledger (the {@code payment} table, written only by this participant
     * from the provider's answers) records for the order. The saga goes on from the ledger's amount, never from
     * a fact that came over Kafka, and the order refuses any amount but its total.
     */
    public record ConfirmAuthorizationCommand(OrderId orderId) {
        public ConfirmAuthorizationCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /**
     * What the ledger holds for an order: its state ({@code null} when nothing is recorded) and the amount the
     * provider authorized ({@code null} when it never authorized one).
     */
    public record LedgerEntry(PaymentState state, Money authorized) {

        /** An authorization the provider gave, still held or voided since by a compensation. */
        public boolean authorizedOnce() {
            return authorized != null && (state == PaymentState.AUTHORIZED || state == PaymentState.VOIDED);
        }

        @Override
        public String toString() {
            return state == null ? "no payment" : state + (authorized == null ? "" : " " + authorized);
        }
    }

    /**
     * What an authorization came to; the caller goes on from it. {@code repeated} says the payment was decided
     * before (no event reports it this time). For an {@link PaymentState#UNDECIDED} attempt, {@code charged} says
     * whether the provider holds a charge for the order ({@code false}: certainly none; {@code null}: unknown), and
     * {@code cause} why no decision was had.
     */
    public record PaymentResult(PaymentState state, boolean repeated, Boolean charged, String cause) {
        public PaymentResult(PaymentState state, boolean repeated) {
            this(state, repeated, null, null);
        }
    }

    /** Where the order's payment stands after a command. */
    public enum PaymentState {
        AUTHORIZED, DECLINED, VOIDED, UNDECIDED
    }
}
