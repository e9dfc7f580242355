package io.orderflow.wiring.kafka;

import io.orderflow.order.api.OrderAcceptedEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventTopicRoutingTest {

    private final EventTopicRouting routing = new EventTopicRouting(
            Map.of(OrderAcceptedEvent.class.getPackageName(), "orderflow.order-events"));

    @Test
    void publishedOrderEventsGoToTheOrderTopic() {
        assertThat(routing.topicFor(OrderAcceptedEvent.class)).contains("orderflow.order-events");
    }

    @Test
    void eventsOutsideAPublishedContractStayInTheStore() {
        assertThat(routing.topicFor(String.class)).isEmpty();
    }
}
