package io.orderflow.wiring.logging;

import io.orderflow.wiring.axon.TraceMetadata;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the trace id and the order id of the message being handled into the logging context (SLF4J's MDC) for as
 * long as its handler runs, so that every line a command handler, an event handler or the saga writes about an order
 * names both: as fields of the JSON line in production ({@code traceId}, {@code orderId}), in brackets in the plain
 * text of the default run. The trace id is the request's, which every command and event it causes carries in its
 * metadata; the order id is the payload's {@code orderId()}, for every command and event of an order. The context
 * the thread had before is put back afterwards.
 */
public final class OrderLogContext implements MessageHandlerInterceptor<Message<?>> {

    /** The MDC keys, and so the JSON fields. */
    public static final String TRACE_ID = "traceId";
    public static final String ORDER_ID = "orderId";

    private static final ClassValue<Optional<Method>> ORDER_ID_ACCESSOR = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
            try {
                Method accessor = type.getMethod("orderId");
                return Modifier.isStatic(accessor.getModifiers()) ? Optional.empty() : Optional.of(accessor);
            } catch (NoSuchMethodException none) {
                return Optional.empty();
            }
        }
    };

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Message<?> message = unitOfWork.getMessage();
        Map<String, String> before = MDC.getCopyOfContextMap();
        try {
            put(TRACE_ID, message.getMetaData().get(TraceMetadata.TRACE_ID));
            put(ORDER_ID, orderIdOf(message.getPayload()));
            return interceptorChain.proceed();
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }

    /** The order a payload concerns: its {@code orderId()}, or null if it has none. */
    static String orderIdOf(Object payload) {
        if (payload == null) {
            return null;
        }
        return ORDER_ID_ACCESSOR.get(payload.getClass()).map(accessor -> {
            try {
                Object id = accessor.invoke(payload);
                return id == null ? null : id.toString();
            } catch (ReflectiveOperationException | RuntimeException unreadable) {
                return null;
            }
        }).orElse(null);
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.toString());
        }
    }
}
