package io.orderflow.values;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a text field that holds a person's data (a name, an e-mail address, a street). Wherever a message or a stored
 * state that holds such a field is serialized (the event store, snapshots, sagas, dead letters, Kafka), the field is
 * encrypted with its customer's data key, so that erasing the key erases the text everywhere (docs/adr/0032).
 *
 * <p>A value with such fields (an address) may be nested in a message; the message names its customer in its one
 * {@code CustomerId} field. Only {@code String} fields may carry the mark.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface PersonalData {

    /** What an erased field reads as: its customer's key is gone, so its text can never be read again. */
    String ERASED = "[erased]";
}
