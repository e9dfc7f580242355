package io.orderflow.wiring.processors;

import io.orderflow.customer.api.AddressTopics;
import io.orderflow.fulfillment.api.FulfillmentProcessors;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import io.orderflow.wiring.processors.ProcessorDeclaration.KafkaTopics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The fulfillment context's delivery-address projection: reads the routed shipping addresses from Kafka. Address versions
 * must apply in order, so a failing event stops it and is retried rather than parked (ADR 0012); it announces the
 * addresses that waiting orders need, so it is never replayed.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryAddressProcessor {

    @Bean
    ProcessorDeclaration deliveryAddressDeclaration() {
        return new ProcessorDeclaration(FulfillmentProcessors.DELIVERY_ADDRESS,
                new KafkaTopics(List.of(AddressTopics.SHIPPING)), 1, 10, false, Failures.STOP_AND_RETRY,
                "the delivery-address projection announces the addresses that waiting orders need; a replay would "
                        + "announce them again");
    }
}
