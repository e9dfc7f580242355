package io.orderflow.gateway.web;

import io.orderflow.customer.api.PostalAddress;

/**
 * A postal address exactly as a client sends it, in any request: {@code {street, city, postalCode, country}}. It
 * becomes the one address type, {@link PostalAddress}, which checks the components and names the one it refuses.
 */
public record AddressBody(String street, String city, String postalCode, String country) {

    /**
     * Reads the address at JSON path {@code at} (empty for a whole body), reporting each missing or refused
     * component under its own path; answers null if anything is wrong.
     */
    public PostalAddress read(String at, RequestFields fields) {
        String prefix = at.isEmpty() ? "" : at + ".";
        // Non-short-circuit '&': every missing component is reported, not only the first.
        boolean complete = fields.require(prefix + "street", street) & fields.require(prefix + "city", city)
                & fields.require(prefix + "postalCode", postalCode) & fields.require(prefix + "country", country);
        return complete ? fields.readValue(at, () -> new PostalAddress(street, city, postalCode, country)) : null;
    }
}
