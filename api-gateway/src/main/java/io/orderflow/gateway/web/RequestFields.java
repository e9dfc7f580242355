package io.orderflow.gateway.web;

import io.orderflow.values.ValueViolation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns the raw fields of a request into domain values and collects what is wrong with each, so that a client
 * learns about every bad field at once. The domain values validate themselves and name the refused field
 * ({@link ValueViolation}); this class only says where that field sits in the request.
 */
public final class RequestFields {

    private final List<FieldError> errors = new ArrayList<>();

    /**
     * Builds a value from a field; records the field's problem and answers null if the value refuses it. The
     * problem is the value's whole message, such as {@code sku must be 1 to 64 letters, ...}: the answers of the
     * endpoints that read this way have always quoted it like that.
     */
    public <T> T read(String field, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            reject(field, messageOf(e));
            return null;
        }
    }

    /**
     * Builds a value, or checks one, at JSON path {@code at} (empty for the top level of the body); if it refuses
     * its input, records the problem under the field the violation names, below {@code at} (such as
     * {@code deliveryAddress.street} or {@code lines[0].quantity}), and answers null.
     */
    public <T> T readValue(String at, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (ValueViolation violation) {
            reject(at.isEmpty() ? violation.field() : at + "." + violation.field(), violation.problem());
            return null;
        }
    }

    /** Reads a whole number from 1 to {@code max} (a page size or a limit), rejecting anything else. */
    public int readLimit(String field, String value, int max) {
        Integer limit = read(field, () -> {
            int parsed = Integer.parseInt(value);
            if (parsed < 1 || parsed > max) {
                throw new IllegalArgumentException("must be from 1 to " + max);
            }
            return parsed;
        });
        return limit == null ? 0 : limit;
    }

    /** Requires a field to be present; answers whether it was. */
    public boolean require(String field, Object value) {
        if (value == null) {
            reject(field, "is required");
            return false;
        }
        return true;
    }

    /**
     * Requires the request body to be a JSON object (a body of {@code null} binds to no object); throws at once,
     * with every field rejected so far, if it is not, since no field of it can be read.
     */
    public void requireBody(Object body) {
        if (body == null) {
            reject("", "the body must be a JSON object");
            throwIfInvalid();
        }
    }

    public void reject(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Ends the reading: throws if any field was rejected. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static String messageOf(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "is not valid" : message;
    }
}
