package io.orderflow.projections.notification;

/** What a notification tells the customer, and the subject line it does so with. */
enum NotificationType {
    ORDER_ACCEPTED("Your order %s was accepted"),
    ORDER_SHIPPED("Your order %s has shipped"),
    ORDER_CANCELLED("Your order %s was cancelled"),
    ORDER_FAILED("Your order %s could not be fulfilled");

    private final String subject;

    NotificationType(String subject) {
        this.subject = subject;
    }

    String subjectFor(String orderReference) {
        return subject.formatted(orderReference);
    }
}
