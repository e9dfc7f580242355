package io.orderflow.wiring.logging;

import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.order.api.OrderCommands;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderStockReservedEvent;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderLogContextTest {

    private static final OrderId ORDER = new OrderId(UUID.fromString("5b7c2f1e-0000-4000-8000-00000000000a"));

    private final OrderLogContext context = new OrderLogContext();

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void whileAnOrdersEventIsHandled_theLogContextNamesItsOrderAndTrace_andAfterwardsWhatWasThereBefore()
            throws Exception {
        MDC.put("traceId", "request-trace");
        MDC.put("other", "kept");
        Map<String, String> seen = new HashMap<>();

        Object result = handle(GenericEventMessage.asEventMessage(new OrderStockReservedEvent(ORDER))
                .andMetaData(Map.of("traceId", "trace-1")), () -> {
            seen.putAll(MDC.getCopyOfContextMap());
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(seen).containsEntry("orderId", ORDER.value().toString()).containsEntry("traceId", "trace-1")
                .containsEntry("other", "kept");
        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("traceId", "request-trace", "other", "kept"));
    }

    @Test
    void aMessageOfNoOrderAndNoTrace_leavesNeitherInTheContext_evenIfTheThreadHadThem() throws Exception {
        MDC.put("orderId", "stale");
        Map<String, String> seen = new HashMap<>();

        handle(GenericEventMessage.asEventMessage("not an order's"), () -> {
            Map<String, String> copy = MDC.getCopyOfContextMap();
            seen.putAll(copy == null ? Map.of() : copy);
            return null;
        });

        assertThat(seen).doesNotContainKeys("orderId", "traceId");
        assertThat(MDC.get("orderId")).isEqualTo("stale");
    }

    @Test
    void aHandlerThatFails_stillGetsTheContextPutBack() {
        assertThatThrownBy(() -> handle(GenericEventMessage.asEventMessage(new OrderStockReservedEvent(ORDER)), () -> {
            throw new IllegalStateException("handler failed");
        })).hasMessage("handler failed");

        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void theOrderIdIsReadFromAnyPayloadWithAnOrderIdAccessor() {
        assertThat(OrderLogContext.orderIdOf(new OrderCommands.CompleteOrderCommand(ORDER)))
                .isEqualTo(ORDER.value().toString());
        assertThat(OrderLogContext.orderIdOf(new AddressChangedEvent(new CustomerId(UUID.randomUUID()),
                AddressKind.SHIPPING, null, 1))).as("a customer's event concerns no order").isNull();
        assertThat(OrderLogContext.orderIdOf("text")).isNull();
        assertThat(OrderLogContext.orderIdOf(null)).isNull();
    }

    private Object handle(Message<?> message, Handler handler) throws Exception {
        UnitOfWork<Message<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        try {
            return context.handle(unitOfWork, handler::handle);
        } finally {
            unitOfWork.rollback();
        }
    }

    @FunctionalInterface
    private interface Handler {
        Object handle() throws Exception;
    }
}
