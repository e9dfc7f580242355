package io.orderflow.fulfillment.payment;

/** The payment provider could not be asked: no connection, no answer in time, a 5xx, or the circuit is open. */
public class PaymentProviderUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With what went wrong. */
    public PaymentProviderUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
