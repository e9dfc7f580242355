package io.orderflow.gateway.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.customer.api.PostalAddress;

/**
 * A postal address exactly as a client sends it, in any request: {@code {street, city, postalCode, country}}. It
 * becomes the one address type, {@link PostalAddress}, which checks the components and names the one it refuses.
 */
public record AddressBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String street,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String city,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String postalCode,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "ISO 3166-1 alpha-2",
                                  example = "DE") String country) {

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
