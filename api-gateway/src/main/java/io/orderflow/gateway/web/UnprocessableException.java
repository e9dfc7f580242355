package io.orderflow.gateway.web;

/**
 * The request is well formed but asks for what cannot be done (a delivery to a destination no carrier serves).
 * Answered with 422 and a problem of the given type.
 */
public class UnprocessableException extends RuntimeException {

    private final String type;
    private final String title;

    public UnprocessableException(String type, String title, String detail) {
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
