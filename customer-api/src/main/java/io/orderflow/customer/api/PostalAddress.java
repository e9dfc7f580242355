package io.orderflow.customer.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.orderflow.values.PersonalData;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

import java.util.Locale;
import java.util.Set;

/**
 * A postal address: a customer's shipping or billing address, and the address an order is delivered to (the order
 * and fulfillment contexts use this type too). {@code country} is an ISO-3166 alpha-2 code such as {@code DE}. The
 * text is kept exactly as given (any script, emoji included); only blank, overlong and NUL-containing values are
 * refused. Street, city and postal code are personal data: encrypted with the customer's key wherever they are kept or
 * sent, and {@code [erased]} once the customer is (docs/adr/0032); the country alone says little and stays readable.
 */
public record PostalAddress(@PersonalData String street, @PersonalData String city,
                            @PersonalData String postalCode, String country) {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final int MAX_LENGTH = 200;

    public PostalAddress {
        street = Required.text("street", street, MAX_LENGTH);
        city = Required.text("city", city, MAX_LENGTH);
        postalCode = Required.text("postalCode", postalCode, MAX_LENGTH);
        Required.nonNull("country", country);
        if (!COUNTRIES.contains(country)) {
            throw new ValueViolation("country", "must be an ISO-3166 alpha-2 code such as DE");
        }
    }

    /** This address with its personal parts (street, city, postal code) erased; the country stays. */
    public PostalAddress erased() {
        return new PostalAddress(PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, country);
    }

    /** Whether this address's personal parts were erased (its customer's data key is gone). Not a JSON property. */
    @JsonIgnore
    public boolean isErased() {
        return PersonalData.ERASED.equals(street);
    }
}
