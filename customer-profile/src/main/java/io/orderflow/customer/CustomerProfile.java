package io.orderflow.customer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerCommands.ChangeAddressCommand;
import io.orderflow.customer.api.CustomerCommands.CustomerWriteResult;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A customer's profile: name, e-mail and the two addresses, event-sourced. Its version counts the changes, and is
 * what an order names when it ships to "the address the customer was shown".
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

    @CommandHandler
    CustomerWriteResult handle(ChangeAddressCommand command) {
        PostalAddress current = command.kind() == AddressKind.SHIPPING ? shippingAddress : billingAddress;
        if (!current.equals(command.address())) {
            apply(new AddressChangedEvent(customerId, command.kind(), command.address(), version + 1));
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

    long version() {
        return version;
    }
}
