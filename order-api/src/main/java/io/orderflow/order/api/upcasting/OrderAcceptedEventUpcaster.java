package io.orderflow.order.api.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.order.api.OrderAcceptedEvent;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns a revision-1 {@code OrderAcceptedEvent} (from the store or from Kafka) into revision 2: revision 1 had no
 * {@code acceptedAt}, and the event's own timestamp is exactly when the order was accepted. Every reader of the
 * order's events registers it (the application does in {@code AxonConfiguration}), ahead of any later upcaster.
 */
public class OrderAcceptedEventUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 =
            new SimpleSerializedType(OrderAcceptedEvent.class.getName(), "1");
    private static final SimpleSerializedType REVISION_2 =
            new SimpleSerializedType(OrderAcceptedEvent.class.getName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(REVISION_1);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        Instant acceptedAt = timestampOf(representation);
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ObjectNode event = ((ObjectNode) payload).deepCopy();
            event.put("acceptedAt", acceptedAt.toString());
            event.put("contractVersion", 2);
            return event;
        });
    }

    /**
     * The event's timestamp. Events read from Kafka by the extension (4.9.0) carry it as epoch milliseconds in
     * text where an ISO instant is expected, so asking for it fails; the failed text is the number we need.
     */
    private static Instant timestampOf(IntermediateEventRepresentation representation) {
        try {
            return representation.getTimestamp();
        } catch (DateTimeParseException e) {
            return Instant.ofEpochMilli(Long.parseLong(e.getParsedString()));
        }
    }
}
