package io.orderflow.wiring.security;

/**
 * Who may do what (docs/security.md). A token names its roles in a claim ({@code orderflow.security.roles-claim});
 * each becomes the authority {@code ROLE_<name>}.
 */
public final class Roles {

    /** A customer: their own profile, addresses and orders, nothing else. The token carries their customer id. */
    public static final String CUSTOMER = "CUSTOMER";
    /** A backend acting for customers (the shop): registers customers, places and reads orders for any of them. */
    public static final String SERVICE = "SERVICE";
    /** An operator: everything, the operations console included. */
    public static final String OPERATOR = "OPERATOR";
    /** A metrics scraper (Prometheus): {@code /actuator/prometheus} and nothing else. */
    public static final String METRICS = "METRICS";

    private Roles() {
    }
}
