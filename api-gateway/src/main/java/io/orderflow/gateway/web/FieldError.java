package io.orderflow.gateway.web;

/**
 * One problem with one field of a request, as listed in a problem+json body's {@code errors}.
 *
 * @param field the JSON path of the field, such as {@code lines[0].quantity}
 */
public record FieldError(String field, String message) {
}
