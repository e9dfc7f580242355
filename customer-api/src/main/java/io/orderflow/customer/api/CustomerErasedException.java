package io.orderflow.customer.api;

/** A command asked to change a customer whose personal data was erased: an erased profile takes no changes. */
public class CustomerErasedException extends RuntimeException {

    private final CustomerId customerId;

    public CustomerErasedException(CustomerId customerId) {
        super("customer " + customerId + " was erased; their profile takes no changes");
        this.customerId = customerId;
    }

    public CustomerId customerId() {
        return customerId;
    }
}
