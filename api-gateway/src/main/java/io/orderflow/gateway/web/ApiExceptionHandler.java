package io.orderflow.gateway.web;

import io.orderflow.customer.api.CustomerErasedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.values.ValueViolation;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Maps every failure to a problem+json answer. A client's mistake is a 4xx that names the field; only a fault of
 * the system is a 5xx, and it carries an error id to find the logged cause, never a stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalidRequest(InvalidRequestException e) {
        return Problems.invalid(e.getMessage(), e.errors());
    }

    /**
     * A value refused what the request gave it, and the controller let the value say so: the same answer as one
     * field that {@link RequestFields} rejected, naming the field the value names.
     */
    @ExceptionHandler(ValueViolation.class)
    ProblemDetail valueViolation(ValueViolation e) {
        return invalidRequest(InvalidRequestException.of(e.field(), e.problem()));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return Problems.of(HttpStatus.CONFLICT, e.type(), e.title(), e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", e.getMessage());
    }

    @ExceptionHandler(UnprocessableException.class)
    ProblemDetail unprocessable(UnprocessableException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, e.type(), e.title(), e.getMessage());
    }

    /** A change to a customer whose personal data was erased (ADR 0032). */
    @ExceptionHandler(CustomerErasedException.class)
    ProblemDetail customerErased(CustomerErasedException e) {
        return Problems.of(HttpStatus.CONFLICT, "customer-erased", "Customer erased", e.getMessage());
    }

    /** A command addressed an aggregate (an order, a customer) that was never created. */
    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail aggregateNotFound(AggregateNotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "no such resource: " + e.getAggregateIdentifier());
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                "Idempotency-Key used for another request", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badPathOrQueryValue(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : describe(e.getRequiredType());
        FieldError error = new FieldError(e.getName(), "must be " + expected);
        return Problems.invalid(e.getName() + " must be " + expected, List.of(error));
    }

    @ExceptionHandler(OrderRejectedException.class)
    ProblemDetail orderRejected(OrderRejectedException e) {
        ProblemDetail problem = switch (e.reason()) {
            case UNKNOWN_SKU -> Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "unknown-sku", "Unknown SKU",
                    e.getMessage());
            case CURRENCY_MISMATCH -> Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "currency-mismatch",
                    "Currency does not match the catalogue", e.getMessage());
            case PRICE_CHANGED -> Problems.of(HttpStatus.CONFLICT, "price-changed", "The price has changed",
                    e.getMessage());
            case TOTAL_OUT_OF_RANGE -> Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "total-out-of-range",
                    "The order's total is out of range", e.getMessage());
            case INVALID_TRANSITION -> Problems.of(HttpStatus.CONFLICT, "invalid-transition",
                    "The order does not allow this now", e.getMessage());
            case NOT_THE_CUSTOMERS -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
        };
        if (e.field() != null) {
            problem.setProperty("errors", List.of(new FieldError(e.field(), e.getMessage())));
        }
        return problem;
    }

    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ProblemDetail conflict(RuntimeException e) {
        return Problems.of(HttpStatus.CONFLICT, "conflict", "Concurrent modification",
                "another command changed this resource at the same time; read it again and retry");
    }

    @ExceptionHandler(CommandTimeoutException.class)
    ResponseEntity<ProblemDetail> timeout(CommandTimeoutException e) {
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "outcome-unknown", "Outcome unknown",
                e.getMessage() + "; the change may still have been made: read the resource before retrying");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    @ExceptionHandler(ReadYourWrites.TooManyWaitingReadsException.class)
    ResponseEntity<ProblemDetail> tooManyWaiting(ReadYourWrites.TooManyWaitingReadsException e) {
        return overloaded(e.getMessage());
    }

    /** 503 with Retry-After: the server is at a limit it keeps to stay up; the request is fine and may be retried. */
    static ResponseEntity<ProblemDetail> overloaded(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Busy", detail));
    }

    /**
     * 503 with Retry-After: the database cannot be reached (a restart, a failover, a restore). The request was fine;
     * whether a write that was under way got committed is not known, so a command is retried with the same
     * Idempotency-Key, which answers the stored outcome if there is one. Logged as one line, not as an error per
     * request with its stack.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("Database unreachable, answered 503: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                        "the database cannot be reached just now; retry later, a command with the same "
                                + "Idempotency-Key"));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected failure, error id {}", errorId, e);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Internal error", "the request could not be completed; quote error id " + errorId);
        problem.setProperty("errorId", errorId);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Problems.of(
                        HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "Request body too large",
                        tooLarge.getMessage()));
            }
        }
        return ResponseEntity.badRequest().body(unreadable(e));
    }

    private static ProblemDetail unreadable(HttpMessageNotReadableException e) {
        // Jackson wraps a low-level failure (an overflowing number, say) in a mapping exception that knows the
        // field's path; the outermost one with a path names the field best.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                String field = path(unknown);
                return Problems.invalid("field " + field + " is not accepted",
                        List.of(new FieldError(field, "is not accepted in this request")));
            }
            if (cause instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
                String field = path(mapping);
                String message = mapping instanceof MismatchedInputException mismatch
                        && mismatch.getTargetType() != null ? "must be " + describe(mismatch.getTargetType())
                        : "has the wrong type or is out of range";
                return Problems.invalid(field + " " + message, List.of(new FieldError(field, message)));
            }
        }
        Throwable root = e.getMostSpecificCause();
        if (root instanceof StreamConstraintsException) {
            return Problems.invalid("the JSON document exceeds the accepted size or nesting depth", List.of());
        }
        if (root instanceof MismatchedInputException) {
            return Problems.invalid("the body must be a JSON object", List.of());
        }
        if (root instanceof JsonProcessingException json) {
            String where = json.getLocation() == null ? ""
                    : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
            return Problems.invalid("the body is not well-formed JSON" + where + ": " + json.getOriginalMessage(),
                    List.of());
        }
        return Problems.invalid("the body is missing or cannot be read as JSON", List.of());
    }

    /** The JSON path of the failing field in the form clients write it: {@code lines[0].quantity}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number in range";
        }
        if (type == BigDecimal.class) {
            return "a decimal number such as \"19.99\"";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
