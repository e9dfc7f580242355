package io.orderflow.wiring.processors;

import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentProcessors;
import io.orderflow.fulfillment.settings.FulfillmentProperties;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import io.orderflow.wiring.processors.ProcessorDeclaration.KafkaTopics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The fulfillment saga: reads what happens to orders and what its participants did from Kafka, never the order
 * context's store (ADR 0008). On first start it reads its topics from the beginning, so no order accepted before
 * it first ran is left unfulfilled. A failing event fails the batch and is retried: a saga has no dead-letter queue,
 * and skipping an order's acceptance or a payment's outcome would lose it for good (ADR 0012).
 */
@Configuration(proxyBeanMethods = false)
class FulfillmentProcessor {

    @Bean
    ProcessorDeclaration fulfillmentDeclaration(FulfillmentProperties settings) {
        int segments = settings.segments();
        int batchSize = settings.batchSize();
        return new ProcessorDeclaration(FulfillmentProcessors.FULFILLMENT,
                new KafkaTopics(List.of(OrderEventsTopic.NAME, FulfillmentEventsTopic.NAME)), segments, batchSize,
                false, Failures.STOP_AND_RETRY, "sagas cannot be replayed: they would act again");
    }
}
