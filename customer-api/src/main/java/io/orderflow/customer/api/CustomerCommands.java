package io.orderflow.customer.api;

import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.regex.Pattern;

/**
 * The commands of the customer-profile context. Each answers with a {@link CustomerWriteResult}.
 */
public final class CustomerCommands {

    private CustomerCommands() {
    }

    /**
     * Registers a customer. Without a billing address, the shipping address is billed.
     */
    public record RegisterCustomerCommand(@TargetAggregateIdentifier CustomerId customerId, String name,
                                          String email, PostalAddress shippingAddress,
                                          PostalAddress billingAddress) {

        public static final int MAX_NAME_LENGTH = 200;
        public static final int MAX_EMAIL_LENGTH = 254;
        /**
         * One '@', something on each side, a dot in the domain, no white space and no control character (PostgreSQL
         * text cannot hold NUL, so the read side could never store it): plausible, not verified.
         */
        private static final Pattern EMAIL =
                Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+");

        /** Answers the name if it can be a customer's name, else throws a violation naming {@code name}. */
        public static String validName(String name) {
            return Required.text("name", name, MAX_NAME_LENGTH);
        }

        /** Answers the e-mail address if it is plausible, else throws a violation naming {@code email}. */
        public static String validEmail(String email) {
            Required.nonNull("email", email);
            if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
                throw new ValueViolation("email", "must be an address such as ada@example.com");
            }
            return email;
        }

        public RegisterCustomerCommand {
            Required.nonNull("customerId", customerId);
            validName(name);
            validEmail(email);
            Required.nonNull("shippingAddress", shippingAddress);
            if (billingAddress == null) {
                billingAddress = shippingAddress;
            }
        }
    }

    /**
     * Changes where a customer's orders are shipped. The address the profile already has changes nothing and
     * answers the current version, so that a client may retry freely.
     */
    public record ChangeShippingAddressCommand(@TargetAggregateIdentifier CustomerId customerId,
                                               PostalAddress address) {

        public ChangeShippingAddressCommand {
            Required.nonNull("customerId", customerId);
            Required.nonNull("address", address);
        }
    }

    /**
     * Changes where a customer's orders are billed. The address the profile already has changes nothing and
     * answers the current version, so that a client may retry freely.
     */
    public record ChangeBillingAddressCommand(@TargetAggregateIdentifier CustomerId customerId,
                                              PostalAddress address) {

        public ChangeBillingAddressCommand {
            Required.nonNull("customerId", customerId);
            Required.nonNull("address", address);
        }
    }

    /**
     * Erases the customer's personal data for good: their data key is deleted, so their name, e-mail address and
     * addresses can no longer be read anywhere they were written (docs/adr/0032). A customer erased before answers
     * the same without a second event; the profile takes no changes afterwards.
     *
     * @param requestedBy who asked: the customer themself, or an operator (named in the erasure record)
     */
    public record EraseCustomerCommand(@TargetAggregateIdentifier CustomerId customerId, String requestedBy) {

        public EraseCustomerCommand {
            Required.nonNull("customerId", customerId);
            Required.text("requestedBy", requestedBy, 200);
        }
    }

    /** What every customer command answers: the profile version after it. */
    public record CustomerWriteResult(CustomerId customerId, long version) {
    }
}
