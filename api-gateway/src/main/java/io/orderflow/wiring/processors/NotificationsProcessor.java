package io.orderflow.wiring.processors;

import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.settings.NotificationsProperties;
import io.orderflow.wiring.processors.ProcessorDeclaration.Failures;
import io.orderflow.wiring.processors.ProcessorDeclaration.KafkaTopics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The customers' emails: reads what happens to orders, and the customers' email addresses, from the beginning of
 * the topics, so that no order accepted before the sender first ran goes unannounced. Each event is notified once
 * (ADR 0011); a failing order's events are parked, and the processor is never replayed.
 */
@Configuration(proxyBeanMethods = false)
class NotificationsProcessor {

    @Bean
    ProcessorDeclaration notificationsDeclaration(NotificationsProperties settings) {
        int batchSize = settings.batchSize();
        return new ProcessorDeclaration(ProjectionProcessors.NOTIFICATIONS,
                new KafkaTopics(List.of(OrderEventsTopic.NAME, CustomerEventsTopic.NAME)), 1, batchSize, true,
                Failures.PARK, "notifications are side effects and are never replayed");
    }
}
