package io.orderflow.gateway.web;

/**
 * The request is well formed but the resource's state does not allow it now (a replay of a processor that may
 * not be replayed, or of one that is replaying). Answered with 409 and a problem of the given type.
 */
public class ConflictException extends RuntimeException {

    private final String type;
    private final String title;

    public ConflictException(String type, String title, String detail) {
        super(detail);
        this.type = type;
        this.title = title;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}
