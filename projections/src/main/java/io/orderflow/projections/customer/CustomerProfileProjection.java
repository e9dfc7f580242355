package io.orderflow.projections.customer;

import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.projections.api.CustomerView;
import io.orderflow.projections.api.FindCustomerQuery;
import io.orderflow.projections.generation.ChangeNotices;
import io.orderflow.projections.generation.ProjectionGenerations;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Builds the customer profile view from the customer events in the event store; rebuilt by a reset into a new generation
 * while reads keep the current one (ADR 0010).
 */
@Component
@ProcessingGroup(CustomerProfileProjection.PROCESSING_GROUP)
class CustomerProfileProjection {

    static final String PROCESSING_GROUP = ProjectionProcessors.CUSTOMER_PROFILE;

    private final CustomerProfileRepository repository;
    private final ProjectionGenerations generations;
    private final ChangeNotices notices;

    CustomerProfileProjection(CustomerProfileRepository repository, ProjectionGenerations generations,
                              ChangeNotices notices) {
        this.repository = repository;
        this.generations = generations;
        this.notices = notices;
    }

    @EventHandler
    void on(CustomerRegisteredEvent event) {
        int generation = generations.writing(PROCESSING_GROUP);
        if (!repository.existsById(new CustomerProfileEntity.Key(generation, event.customerId().value()))) {
            repository.save(new CustomerProfileEntity(generation, event.customerId().value(), event.name(), event.email(),
                    event.shippingAddress(), event.billingAddress(), event.version()));
            notices.changed(PROCESSING_GROUP, event.customerId().value());
        }
    }

    @EventHandler
    void on(AddressChangedEvent event) {
        CustomerProfileEntity profile = repository.findById(new CustomerProfileEntity.Key(
                generations.writing(PROCESSING_GROUP), event.customerId().value())).orElseThrow(() ->
                new IllegalStateException("customer " + event.customerId() + " changed an address but has no "
                        + "profile; the projection missed the registration"));
        if (profile.change(event.kind(), event.address(), event.version())) {
            repository.save(profile);
            notices.changed(PROCESSING_GROUP, event.customerId().value());
        }
    }

    /** The erased customer's rows, in every generation, hold nothing personal from now on. */
    @EventHandler
    void on(CustomerErasedEvent event) {
        for (CustomerProfileEntity profile : repository.findByCustomerId(event.customerId().value())) {
            if (profile.erase(event.erasedAt(), event.version())) {
                repository.save(profile);
            }
        }
        notices.changed(PROCESSING_GROUP, event.customerId().value());
    }

    /** A replay builds a new generation beside the served one, which reads keep seeing until it is done. */
    @ResetHandler
    void onReset() {
        generations.beginRebuild(PROCESSING_GROUP);
    }

    @QueryHandler
    Optional<CustomerView> handle(FindCustomerQuery query) {
        return repository.findById(new CustomerProfileEntity.Key(generations.serving(PROCESSING_GROUP),
                query.customerId().value())).map(CustomerProfileEntity::toView);
    }
}
