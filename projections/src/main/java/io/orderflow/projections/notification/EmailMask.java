package io.orderflow.projections.notification;

/**
 * An e-mail address as logs show it: the first letter of the local part and the domain ({@code a***@example.com}),
 * enough to tell mails apart when following a problem, not enough to write to the person.
 */
final class EmailMask {

    private EmailMask() {
    }

    static String mask(String email) {
        if (email == null || email.isBlank()) {
            return "(none)";
        }
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
