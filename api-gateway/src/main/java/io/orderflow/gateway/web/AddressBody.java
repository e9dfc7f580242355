package io.orderflow.gateway.web;

import io.orderflow.customer.api.PostalAddress;

import java.util.List;

/**
 * A postal address exactly as a client sends it, in any request: {@code {street, city, postalCode, country}}. It
 * becomes the one address type, {@link PostalAddress}; this class only names the fields that type refuses.
 */
public record AddressBody(String street, String city, String postalCode, String country) {

    private static final List<String> COMPONENTS = List.of("street", "city", "postalCode", "country");

    /**
     * Reads the address at JSON path {@code at} (empty for a whole body), reporting each missing or refused
     * component under its own path; answers null if anything is wrong.
     */
    public PostalAddress read(String at, RequestFields fields) {
        String prefix = at.isEmpty() ? "" : at + ".";
        // Non-short-circuit '&': every missing component is reported, not only the first.
        boolean complete = fields.require(prefix + "street", street) & fields.require(prefix + "city", city)
                & fields.require(prefix + "postalCode", postalCode) & fields.require(prefix + "country", country);
        if (!complete) {
            return null;
        }
        try {
            return new PostalAddress(street, city, postalCode, country);
        } catch (IllegalArgumentException e) {
            // PostalAddress names the offending component first ("country must be ..."): report it by path.
            String message = String.valueOf(e.getMessage());
            for (String component : COMPONENTS) {
                if (message.startsWith(component + " ")) {
                    fields.reject(prefix + component, message.substring(component.length() + 1));
                    return null;
                }
            }
            fields.reject(at, message);
            return null;
        }
    }
}
