package io.orderflow.customer;

import io.orderflow.fixtures.Examples;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;


/** Named test data for the customer-profile context, on the shared examples ({@link Examples}). */
final class CustomerFixtures {

    static final CustomerId ADA = Examples.ADA;
    static final String ADA_NAME = Examples.ADA_NAME;
    static final String ADA_EMAIL = Examples.ADA_EMAIL;
    static final PostalAddress HOME = Examples.BERLIN;
    static final PostalAddress OFFICE = Examples.PARIS;
    static final PostalAddress BANK = Examples.ZURICH;

    /** Ada registered without a billing address, so she is billed at home too. */
    static final CustomerRegisteredEvent ADA_REGISTERED = Examples.adaRegistered();

    private CustomerFixtures() {
    }

    static RegisterCustomerCommand registerAda() {
        return new RegisterCustomerCommand(ADA, ADA_NAME, ADA_EMAIL, HOME, null);
    }

    static RegisterCustomerCommand register(String name, String email) {
        return new RegisterCustomerCommand(ADA, name, email, HOME, null);
    }
}
