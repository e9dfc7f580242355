package io.orderflow.wiring.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operator action: every call of the annotated handler method, allowed or refused, is written to the audit log
 * ({@link AuditLog}) with who made it, when, on what, and how it ended.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Audited {

    /** What the action is, such as {@code processor.pause}. */
    String value();
}
