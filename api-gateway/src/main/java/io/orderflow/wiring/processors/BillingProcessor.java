package io.orderflow.wiring.processors;

import io.orderflow.billing.api.BillingProcessors;
import io.orderflow.billing.settings.BillingProperties;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import io.orderflow.wiring.processors.ProcessorDeclaration.KafkaTopics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The billing context: reads the orders' events and the routed billing addresses from Kafka, from the beginning on
 * its first start (every paid order is invoiced, also those paid before billing first ran). A failing event stops it
 * and is retried: skipping one could skip an invoice or a credit note, and the numbers must not leave a gap
 * (ADR 0024). It issues documents, so it is never replayed.
 */
@Configuration(proxyBeanMethods = false)
class BillingProcessor {

    @Bean
    ProcessorDeclaration billingDeclaration(BillingProperties settings) {
        int batchSize = settings.batchSize();
        return new ProcessorDeclaration(BillingProcessors.BILLING,
                new KafkaTopics(List.of(OrderEventsTopic.NAME, AddressTopics.BILLING)), 1, batchSize, true,
                Failures.STOP_AND_RETRY, "billing issues invoices and credit notes; a replay would issue them again");
    }
}
