package io.orderflow.wiring.kafka;

import io.orderflow.billing.api.BillingEvent;
import io.orderflow.fulfillment.api.FulfillmentEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * The Kafka key of each forwarded event, and so its partition: an aggregate's events are keyed by the aggregate's
 * id (orders by order id, customers by customer id), and the fulfillment participants' facts and the billing
 * documents, which belong to no aggregate, by the order they are about. All that is known of one order thus stays in order on one partition.
 * The processors that read Kafka use the same keys as their sequencing policy (and dead-letter sequences).
 */
public final class EventKeys implements SequencingPolicy<EventMessage<?>> {

    private final SequentialPerAggregatePolicy byAggregate = SequentialPerAggregatePolicy.instance();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        // The type is known without reading the payload; only a fact's payload is read, for its order id.
        if (FulfillmentEvent.class.isAssignableFrom(event.getPayloadType())
                && event.getPayload() instanceof FulfillmentEvent fulfillment) {
            return fulfillment.orderId().toString();
        }
        if (BillingEvent.class.isAssignableFrom(event.getPayloadType())
                && event.getPayload() instanceof BillingEvent billing) {
            return billing.orderId().toString();
        }
        return byAggregate.getSequenceIdentifierFor(event);
    }
}
