package io.orderflow.projections.customer;

import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.projections.api.CustomerView;
import io.orderflow.projections.api.FindCustomerQuery;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Builds the customer profile view from the customer events in the event store; rebuilt by a reset.
 */
@Component
@ProcessingGroup(CustomerProfileProjection.PROCESSING_GROUP)
class CustomerProfileProjection {

    static final String PROCESSING_GROUP = "customer-profile";

    private final CustomerProfileRepository repository;

    CustomerProfileProjection(CustomerProfileRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(CustomerRegisteredEvent event) {
        if (!repository.existsById(event.customerId().value())) {
            repository.save(new CustomerProfileEntity(event.customerId().value(), event.name(), event.email(),
                    event.shippingAddress(), event.billingAddress(), event.version()));
        }
    }

    @EventHandler
    void on(AddressChangedEvent event) {
        CustomerProfileEntity profile = repository.findById(event.customerId().value()).orElseThrow(() ->
                new IllegalStateException("customer " + event.customerId() + " changed an address but has no "
                        + "profile; the projection missed the registration"));
        if (profile.change(event.kind(), event.address(), event.version())) {
            repository.save(profile);
        }
    }

    @ResetHandler
    void onReset() {
        repository.deleteAllInBatch();
    }

    @QueryHandler
    Optional<CustomerView> handle(FindCustomerQuery query) {
        return repository.findById(query.customerId().value()).map(CustomerProfileEntity::toView);
    }
}
