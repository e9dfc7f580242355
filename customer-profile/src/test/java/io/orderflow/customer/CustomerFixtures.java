package io.orderflow.customer;

import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;

import java.util.UUID;

/** Named test data for the customer-profile context. */
final class CustomerFixtures {

    static final CustomerId ADA = new CustomerId(UUID.fromString("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b"));
    static final String ADA_NAME = "Ada Lovelace";
    static final String ADA_EMAIL = "ada@example.com";
    static final PostalAddress HOME = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    static final PostalAddress OFFICE = new PostalAddress("Rue de Rivoli 2", "Paris", "75001", "FR");
    static final PostalAddress BANK = new PostalAddress("Bahnhofstrasse 3", "Zürich", "8001", "CH");

    /** Ada registered without a billing address, so she is billed at home too. */
    static final CustomerRegisteredEvent ADA_REGISTERED =
            new CustomerRegisteredEvent(ADA, ADA_NAME, ADA_EMAIL, HOME, HOME, 0);

    private CustomerFixtures() {
    }

    static RegisterCustomerCommand registerAda() {
        return new RegisterCustomerCommand(ADA, ADA_NAME, ADA_EMAIL, HOME, null);
    }

    static RegisterCustomerCommand register(String name, String email) {
        return new RegisterCustomerCommand(ADA, name, email, HOME, null);
    }
}
