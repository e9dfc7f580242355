package io.orderflow.wiring.processors;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.settings.ProjectionsProperties;
import io.orderflow.wiring.processors.ProcessorDeclaration.EventStore;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The order summary, its history and a customer's orders: built from the whole event store, rebuilt by a replay
 * beside the served data (ADR 0010), checked by the gap audit; a failing order's events are parked.
 */
@Configuration(proxyBeanMethods = false)
class OrderSummaryProcessor {

    @Bean
    ProcessorDeclaration orderSummaryDeclaration(ProjectionsProperties settings) {
        return new ProcessorDeclaration(ProjectionProcessors.ORDER_SUMMARY, new EventStore(), settings.segments(),
                settings.batchSize(), false, Failures.PARK, null);
    }
}
