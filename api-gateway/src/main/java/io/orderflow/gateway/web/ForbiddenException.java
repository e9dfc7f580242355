package io.orderflow.gateway.web;

/** The caller may not do this, whatever the resource's state (a customer placing an order for another). 403. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String detail) {
        super(detail);
    }
}
