package io.orderflow.gateway.testkit.process;

import io.orderflow.order.api.OrderAcceptedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A handler of the order-summary processor, present only in the tests, that fails on the acceptance of the orders
 * of a poisoned customer: a poison event (scenario S9). Curing the customer is "the fix".
 */
@ProcessingGroup("order-summary")
public class PoisonPill {

    private static final Set<UUID> POISONED = ConcurrentHashMap.newKeySet();

    public static void poison(UUID customerId) {
        POISONED.add(customerId);
    }

    public static void cure(UUID customerId) {
        POISONED.remove(customerId);
    }

    @EventHandler
    void on(OrderAcceptedEvent event) {
        if (POISONED.contains(event.customerId().value())) {
            throw new IllegalStateException("poison: cannot summarize orders of customer " + event.customerId());
        }
    }
}
