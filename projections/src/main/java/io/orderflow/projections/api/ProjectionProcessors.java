package io.orderflow.projections.api;

import java.util.List;

/**
 * The names of the read side's event processors: the processing groups of its handlers, and the names operators use
 * in the operations API and the dashboard ({@code /api/admin/processors/{name}}). Use these constants wherever a
 * processor is named; the names are part of the operations API and never change.
 */
public final class ProjectionProcessors {

    /** The order summary, its history and a customer's orders; from the event store, rebuilt by replay. */
    public static final String ORDER_SUMMARY = "order-summary";
    /** The customer profile view; from the event store, rebuilt by replay. */
    public static final String CUSTOMER_PROFILE = "customer-profile";
    /** The analytics context's figures; from Kafka. */
    public static final String ANALYTICS = "analytics";
    /** The customers' emails; from Kafka, never replayed. */
    public static final String NOTIFICATIONS = "notifications";

    private ProjectionProcessors() {
    }

    /** Every read-side processor. */
    public static List<String> all() {
        return List.of(ORDER_SUMMARY, CUSTOMER_PROFILE, ANALYTICS, NOTIFICATIONS);
    }
}
