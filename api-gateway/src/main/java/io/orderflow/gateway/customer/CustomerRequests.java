package io.orderflow.gateway.customer;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.gateway.web.RequestFields;

import java.util.List;

/**
 * The bodies of the customer endpoints, exactly as the client sent them, and how they become domain values.
 */
final class CustomerRequests {

    private CustomerRequests() {
    }

    /** The body of {@code POST /api/customers}. */
    record RegisterRequest(String name, String email, AddressBody shippingAddress, AddressBody billingAddress) {
    }

    /** An address as clients send it. */
    record AddressBody(String street, String city, String postalCode, String country) {
    }

    static PostalAddress address(String at, AddressBody body, RequestFields fields) {
        if (!fields.require(at, body)) {
            return null;
        }
        // Non-short-circuit '&': every missing component is reported, not only the first.
        boolean complete = fields.require(prefix(at) + "street", body.street())
                & fields.require(prefix(at) + "city", body.city())
                & fields.require(prefix(at) + "postalCode", body.postalCode())
                & fields.require(prefix(at) + "country", body.country());
        if (!complete) {
            return null;
        }
        try {
            return new PostalAddress(body.street(), body.city(), body.postalCode(), body.country());
        } catch (IllegalArgumentException e) {
            // PostalAddress names the offending component first ("country must be ..."): report it by its path.
            String message = String.valueOf(e.getMessage());
            for (String component : List.of("street", "city", "postalCode", "country")) {
                if (message.startsWith(component + " ")) {
                    fields.reject(prefix(at) + component, message.substring(component.length() + 1));
                    return null;
                }
            }
            fields.reject(at, message);
            return null;
        }
    }

    private static String prefix(String at) {
        return at.isEmpty() ? "" : at + ".";
    }
}
