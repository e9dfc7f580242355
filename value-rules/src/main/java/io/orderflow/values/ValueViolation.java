package io.orderflow.values;

/**
 * A value or a message refused what it was given. It names the field, as the record calls it ({@code street},
 * {@code quantity}), and says what is wrong with it ({@code must not be blank}). Whoever knows where the value sits
 * in a larger whole, such as a request, puts that place in front of the field ({@code deliveryAddress.street}).
 *
 * <p>It is an {@link IllegalArgumentException}, so code that catches that keeps working.
 */
public class ValueViolation extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    /**
     * A violation whose problem is said of the field: {@code new ValueViolation("street", "must not be blank")} has
     * the message {@code street must not be blank}.
     */
    public ValueViolation(String field, String problem) {
        this(field, problem, field + " " + problem);
    }

    private ValueViolation(String field, String problem, String message) {
        super(message);
        this.field = field;
        this.problem = problem;
    }

    /**
     * A violation whose problem is a sentence of its own, such as {@code an order needs at least one line}; the
     * message is that sentence.
     */
    public static ValueViolation stated(String field, String sentence) {
        return new ValueViolation(field, sentence, sentence);
    }

    /** The refused field, as the record names it, such as {@code postalCode}. */
    public String field() {
        return field;
    }

    /** What is wrong with the field, without its name, such as {@code must be at most 200 characters}. */
    public String problem() {
        return problem;
    }
}
