package io.orderflow.wiring.processors;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.settings.ProjectionsProperties;
import io.orderflow.wiring.processors.ProcessorDeclaration.EventStore;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The customer profile view: built from the whole event store, rebuilt by a replay beside the served data
 * (ADR 0010), checked by the gap audit; a failing customer's events are parked.
 */
@Configuration(proxyBeanMethods = false)
class CustomerProfileProcessor {

    @Bean
    ProcessorDeclaration customerProfileDeclaration(ProjectionsProperties settings) {
        return new ProcessorDeclaration(ProjectionProcessors.CUSTOMER_PROFILE, new EventStore(), settings.segments(),
                settings.batchSize(), false, Failures.PARK, null);
    }
}
