package io.orderflow.contractcheck;

/**
 * One thing the contract check found wrong, with what to do about it.
 *
 * @param kind    what kind of problem it is
 * @param event   the simple name of the event concerned
 * @param message for the developer: which field of which event, what changed, and the way out
 */
public record Finding(Kind kind, String event, String message) {

    /** The kinds of problems, so that tests and tools can tell them apart without parsing messages. */
    public enum Kind {
        /** The event's current revision has no committed schema. */
        MISSING_SCHEMA,
        /** The class differs from its revision's committed schema in a way that needs a new revision. */
        INCOMPATIBLE_CHANGE,
        /** The class only gained optional properties; the committed schema must be rewritten to say so. */
        SCHEMA_OUT_OF_DATE,
        /** An older revision is committed (so stored), and the upcasters do not take it to the current one. */
        MISSING_UPCASTER,
        /** The upcasters take an older revision to the current one, but the result breaks the current schema. */
        INVALID_UPCAST,
        /** Running the upcasters on an older revision failed. */
        UPCASTER_FAILED,
        /** An upcaster was found but cannot be created by the check, so what it does cannot be verified. */
        UNCHECKABLE_UPCASTER,
        /** The {@code @Revision} is lower than a committed one. */
        REVISION_LOWERED,
        /** The event class moved to another package or was renamed; stored events name the old type. */
        TYPE_RENAMED,
        /** A schema is committed for an event that no longer exists. */
        ORPHANED_CONTRACT,
        /** A record named like an event has no {@code @Revision}. */
        MISSING_REVISION,
        /** The class has a property of a type the generator cannot describe. */
        UNSUPPORTED_TYPE,
        /** Two events share a simple name, so their schema files would collide. */
        DUPLICATE_NAME
    }

    @Override
    public String toString() {
        return message;
    }
}
