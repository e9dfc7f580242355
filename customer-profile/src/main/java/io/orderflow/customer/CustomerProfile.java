package io.orderflow.customer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerCommands.ChangeBillingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.ChangeShippingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.CustomerWriteResult;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerCommands.EraseCustomerCommand;
import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.customer.api.CustomerErasedException;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.privacy.CustomerDataKeys;
import io.orderflow.customer.api.PostalAddress;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A customer's profile: name, e-mail and the two addresses, event-sourced. Its version counts the changes, and is
 * what an order names when it ships to "the address the customer was shown". An erased profile (its data key
 * deleted, docs/adr/0032) takes no more changes; its events still load, with the personal fields erased.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class CustomerProfile {

    @AggregateIdentifier
    private CustomerId customerId;
    private PostalAddress shippingAddress;
    private PostalAddress billingAddress;
    private long version;
    private boolean erased;

    protected CustomerProfile() {
        // Axon rebuilds the profile from its events through this constructor.
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    CustomerWriteResult handle(RegisterCustomerCommand command) {
        apply(new CustomerRegisteredEvent(command.customerId(), command.name(), command.email(),
                command.shippingAddress(), command.billingAddress(), 0));
        return new CustomerWriteResult(customerId, version);
    }

    // A command for an id that was never registered does not get here: loading the profile finds no events and
    // Axon answers AggregateNotFoundException, which the API reports as 404.
    @CommandHandler
    CustomerWriteResult handle(ChangeShippingAddressCommand command) {
        return change(AddressKind.SHIPPING, shippingAddress, command.address());
    }

    @CommandHandler
    CustomerWriteResult handle(ChangeBillingAddressCommand command) {
        return change(AddressKind.BILLING, billingAddress, command.address());
    }

    /**
     * Records the erasure and deletes the customer's data key in the same transaction: once it commits, nothing
     * encrypted for the customer can be read, and nothing new is encrypted for them. Erasing again changes nothing.
     */
    @CommandHandler
    CustomerWriteResult handle(EraseCustomerCommand command, CustomerDataKeys keys, Clock clock) {
        if (!erased) {
            apply(new CustomerErasedEvent(customerId, clock.instant(), version + 1));
            keys.erase(customerId.value(), command.requestedBy());
        }
        return new CustomerWriteResult(customerId, version);
    }

    /** The same address again is a retry, not a change: no event, and the version the client already has. */
    private CustomerWriteResult change(AddressKind kind, PostalAddress current, PostalAddress requested) {
        if (erased) {
            throw new CustomerErasedException(customerId);
        }
        if (!current.equals(requested)) {
            apply(new AddressChangedEvent(customerId, kind, requested, version + 1));
        }
        return new CustomerWriteResult(customerId, version);
    }

    @EventSourcingHandler
    void on(CustomerRegisteredEvent event) {
        customerId = event.customerId();
        shippingAddress = event.shippingAddress();
        billingAddress = event.billingAddress();
        version = event.version();
    }

    @EventSourcingHandler
    void on(AddressChangedEvent event) {
        if (event.kind() == AddressKind.SHIPPING) {
            shippingAddress = event.address();
        } else {
            billingAddress = event.address();
        }
        version = event.version();
    }

    @EventSourcingHandler
    void on(CustomerErasedEvent event) {
        erased = true;
        version = event.version();
    }

    long version() {
        return version;
    }
}
