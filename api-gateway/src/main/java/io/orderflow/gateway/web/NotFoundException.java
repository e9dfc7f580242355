package io.orderflow.gateway.web;

/**
 * The resource a client asked for does not exist (yet: a projection may still be on its way). Answered with 404.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
