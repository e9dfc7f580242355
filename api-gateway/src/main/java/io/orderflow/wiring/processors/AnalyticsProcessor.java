package io.orderflow.wiring.processors;

import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.settings.AnalyticsProperties;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import io.orderflow.wiring.processors.ProcessorDeclaration.KafkaTopics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Analytics, another context's read model: reads what happens to orders and what fulfillment did from Kafka, from
 * the beginning of the topics, and a replay reads them again (its tokens are partition offsets) into a new
 * generation (ADR 0010). A failing order's events are parked.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsProcessor {

    @Bean
    ProcessorDeclaration analyticsDeclaration(AnalyticsProperties settings) {
        int batchSize = settings.batchSize();
        return new ProcessorDeclaration(ProjectionProcessors.ANALYTICS,
                new KafkaTopics(List.of(OrderEventsTopic.NAME, FulfillmentEventsTopic.NAME)), 1, batchSize, true,
                Failures.PARK, null);
    }
}
