package io.orderflow.gateway.web;

/**
 * A command was sent but its outcome did not arrive in time. It may still have succeeded: the client should read
 * the resource, or retry with the same {@code Idempotency-Key}.
 */
public class CommandTimeoutException extends RuntimeException {

    public CommandTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
