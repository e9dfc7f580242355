package io.orderflow.order;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the Order aggregate is stored: event-sourced, with a snapshot after every {@code snapshot-threshold} events,
 * so that loading an order with a long history reads the snapshot and the events after it, not all of them.
 */
@Configuration(proxyBeanMethods = false)
class OrderAggregateConfiguration {

    static final String SNAPSHOT_TRIGGER = "orderSnapshotTrigger";

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition orderSnapshotTrigger(Snapshotter snapshotter,
                                                   @Value("${orderflow.order.snapshot-threshold:10}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }
}
