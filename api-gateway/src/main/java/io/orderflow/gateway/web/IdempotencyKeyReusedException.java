package io.orderflow.gateway.web;

/**
 * An {@code Idempotency-Key} came back with a different request than the one it was first used for. Answered with
 * 422: the client has a bug, and retrying will not help.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String key) {
        super("Idempotency-Key " + key + " was already used for a different request; use a new key");
    }
}
