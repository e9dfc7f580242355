package io.orderflow.values;

/**
 * The checks every value with a required part makes, written once. A refused part is a {@link ValueViolation}
 * naming the field.
 */
public final class Required {

    private Required() {
    }

    /** Answers {@code value} if it is there; otherwise throws a violation: {@code <field> must not be null}. */
    public static <T> T nonNull(String field, T value) {
        if (value == null) {
            throw new ValueViolation(field, "must not be null");
        }
        return value;
    }

    /**
     * The rule for required text, the same for every value that has some (a name, a street, a reason): it is there,
     * not blank, at most {@code maxLength} characters long, and holds no NUL character (PostgreSQL text cannot store
     * it). Anything else is kept exactly as given: any script, emoji, markup. Answers {@code value} if it passes;
     * otherwise throws a violation naming the field.
     */
    public static String text(String field, String value, int maxLength) {
        nonNull(field, value);
        if (value.isBlank()) {
            throw new ValueViolation(field, "must not be blank");
        }
        if (value.length() > maxLength) {
            throw new ValueViolation(field, "must be at most " + maxLength + " characters");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new ValueViolation(field, "must not contain the NUL character");
        }
        return value;
    }
}
