package io.orderflow.console.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FindFulfillmentSagasQuery;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FulfillmentSagaView;
import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.wiring.kafka.EventTopicRouting;
import io.orderflow.console.processors.ProcessorInspector;
import io.orderflow.gateway.web.RequestFields;
import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.FindNotificationsQuery;
import io.orderflow.projections.api.NotificationView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The stored events for the operator (docs/api.md, {@code GET /api/admin/events}), and the timeline of one trace:
 * every event a checkout caused, in the store and on Kafka, the saga's steps, the notifications sent and the payment
 * provider's ledger, in time order ({@code GET /api/admin/traces/{traceId}}).
 */
@RestController
class EventsController {

    private static final Pattern TRACE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_LIMIT = 1000;
    /** The orders of a trace whose saga, notifications and payments a trace's timeline shows. */
    static final int MAX_DETAILED_ORDERS = 20;
    private static final String SELECT = "SELECT global_index, type, aggregate_identifier, sequence_number, "
            + "payload_type, payload_revision, time_stamp, event_identifier, convert_from(payload, 'UTF8'), "
            + "convert_from(meta_data, 'UTF8') FROM domain_event_entry ";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final EventTopicRouting topics;
    private final ProcessorInspector processors;
    private final QueryGateway queries;
    private final PaymentLedger payments;

    EventsController(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json,
                     EventTopicRouting topics, ProcessorInspector processors, QueryGateway queries,
                     PaymentLedger payments) {
        this.jdbc = jdbc;
        this.json = json;
        this.topics = topics;
        this.processors = processors;
        this.queries = queries;
        this.payments = payments;
    }

    /** One stored event with its payload and metadata as JSON, and the topic it is forwarded to. */
    record StoredEvent(long globalIndex, String aggregateType, String aggregateId, long sequenceNumber, String type,
                       String revision, Instant timestamp, String eventId, String topic, boolean forwarded,
                       JsonNode payload, JsonNode metaData) {
    }

    /** One step of a trace's timeline. */
    record TimelineEntry(Instant at, String kind, String title, String detail, String aggregateId) {
    }

    /** A trace: its timeline and the stored events behind it. */
    record Trace(String traceId, List<String> orderIds, List<TimelineEntry> timeline, List<StoredEvent> events) {
    }

    @Operation(operationId = "listEvents", summary = "List stored events",
            description = "The events of one aggregate, or of one trace, from the event store, with whether each was "
                    + "forwarded to Kafka.")
    @ApiResponse(responseCode = "200", description = "The stored events, in the order they were stored")
    @ApiResponse(responseCode = "400",
            description = "Not exactly one of aggregateId and traceId, or a value or limit that is not valid")
    @GetMapping(path = "/api/admin/events", produces = MediaType.APPLICATION_JSON_VALUE)
    List<StoredEvent> events(@RequestParam(required = false) String aggregateId,
                             @RequestParam(required = false) String traceId,
                             @RequestParam(defaultValue = "200") String limit) {
        RequestFields fields = new RequestFields();
        if ((aggregateId == null) == (traceId == null)) {
            fields.reject("aggregateId", "give exactly one of aggregateId or traceId");
        }
        if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
            fields.reject("traceId", "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (aggregateId != null && (aggregateId.isBlank() || aggregateId.length() > 64)) {
            fields.reject("aggregateId", "must be 1 to 64 characters");
        }
        int max = fields.readLimit("limit", limit, MAX_LIMIT);
        fields.throwIfInvalid();
        return aggregateId != null ? byAggregate(aggregateId, max) : byTrace(traceId, max);
    }

    @Operation(operationId = "getTrace", summary = "Follow a trace",
            description = "The stored events, saga steps, notifications and payments of one trace, in time order; an "
                    + "unknown trace is empty.")
    @ApiResponse(responseCode = "200", description = "The trace; empty when nothing carries this trace id")
    @ApiResponse(responseCode = "400", description = "The trace id is not valid")
    @GetMapping(path = "/api/admin/traces/{traceId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Trace trace(@PathVariable String traceId) throws InterruptedException {
        RequestFields fields = new RequestFields();
        if (!TRACE_ID.matcher(traceId).matches()) {
            fields.reject("traceId", "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        fields.throwIfInvalid();
        List<StoredEvent> events = byTrace(traceId, MAX_LIMIT);
        List<TimelineEntry> timeline = new ArrayList<>();
        Set<String> orderIds = new LinkedHashSet<>();
        for (StoredEvent event : events) {
            String about = event.aggregateType() != null
                    ? event.aggregateType() + " " + event.aggregateId() + " #" + event.sequenceNumber()
                    : "fulfillment fact about order " + event.payload().path("orderId").asText("?");
            timeline.add(new TimelineEntry(event.timestamp(), "event", event.type(),
                    about + ", global index " + event.globalIndex(), event.aggregateId()));
            if (event.topic() != null) {
                timeline.add(new TimelineEntry(event.timestamp(), "kafka", event.forwarded()
                        ? "forwarded to " + event.topic() : "waiting to be forwarded to " + event.topic(),
                        event.type() + " " + event.eventId(), event.aggregateId()));
            }
            if (event.payload() != null && event.payload().hasNonNull("orderId")) {
                orderIds.add(event.payload().get("orderId").asText());
            }
        }
        // One request of the operator costs a bounded amount: the saga, notifications and payments (a call to the
        // provider) of the trace's first orders only; a checkout has one.
        int detailed = 0;
        for (String orderId : orderIds) {
            if (detailed++ == MAX_DETAILED_ORDERS) {
                timeline.add(new TimelineEntry(null, "note", (orderIds.size() - MAX_DETAILED_ORDERS)
                        + " more orders in this trace", "their sagas, notifications and payments are not shown; "
                        + "follow one of them with GET /api/admin/events?aggregateId=", null));
                break;
            }
            addSaga(timeline, orderId);
            addNotifications(timeline, orderId);
            addPayments(timeline, orderId);
        }
        timeline.sort(Comparator.comparing(TimelineEntry::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Trace(traceId, List.copyOf(orderIds), timeline, events);
    }

    private void addSaga(List<TimelineEntry> timeline, String orderId) throws InterruptedException {
        try {
            for (FulfillmentSagaView saga : queries.query(new FindFulfillmentSagasQuery(null, orderId, 1),
                    ResponseTypes.multipleInstancesOf(FulfillmentSagaView.class)).get()) {
                timeline.add(new TimelineEntry(Instant.now(), "saga", "saga at step " + saga.step(),
                        saga.stuckCause() == null ? "running" : "stuck: " + saga.stuckCause(), orderId));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the sagas failed", e.getCause());
        }
    }

    private void addNotifications(List<TimelineEntry> timeline, String orderId) throws InterruptedException {
        try {
            for (NotificationView notification : queries.query(new FindNotificationsQuery(
                            new OrderId(UUID.fromString(orderId))),
                    ResponseTypes.multipleInstancesOf(NotificationView.class)).get()) {
                timeline.add(new TimelineEntry(notification.sentAt() != null ? notification.sentAt()
                        : notification.createdAt(), "notification", notification.type() + " " + notification.status(),
                        notification.subject() + (notification.recipient() == null ? ""
                                : " to " + notification.recipient()), orderId));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the notifications failed", e.getCause());
        }
    }

    private void addPayments(List<TimelineEntry> timeline, String orderId) {
        payments.entries(UUID.fromString(orderId)).ifPresentOrElse(entries -> entries.forEach(entry ->
                        timeline.add(new TimelineEntry(instant(entry.path("at").asText(null)), "payment",
                                "payment " + entry.path("status").asText(), entry.path("amount").asText() + " "
                                + entry.path("currency").asText() + ", key " + entry.path("idempotencyKey").asText(),
                                orderId))),
                () -> timeline.add(new TimelineEntry(null, "payment", "payment provider did not answer",
                        "its ledger could not be read", orderId)));
    }

    private List<StoredEvent> byAggregate(String aggregateId, int limit) {
        return read(SELECT + "WHERE aggregate_identifier = ? ORDER BY sequence_number LIMIT ?", aggregateId, limit);
    }

    private List<StoredEvent> byTrace(String traceId, int limit) {
        // orderflow_trace_id(meta_data) is indexed (migration V1003): no scan of the store.
        return read(SELECT + "WHERE orderflow_trace_id(meta_data) = ? ORDER BY global_index LIMIT ?", traceId, limit);
    }

    private List<StoredEvent> read(String sql, Object... arguments) {
        long forwardedUpTo = processors.lowestPosition(ProcessorCatalog.KAFKA_PUBLISHER).orElse(-1L);
        return jdbc.query(sql, (row, i) -> {
            String type = row.getString(5);
            String topic = topicOf(type);
            return new StoredEvent(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4),
                    type.substring(type.lastIndexOf('.') + 1), row.getString(6), instant(row.getString(7)),
                    row.getString(8), topic, topic != null && row.getLong(1) <= forwardedUpTo, parse(row.getString(9)),
                    parse(row.getString(10)));
        }, arguments);
    }

    private String topicOf(String payloadType) {
        try {
            return topics.topicFor(Class.forName(payloadType)).orElse(null);
        } catch (ClassNotFoundException unknownType) {
            return null;
        }
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException notJson) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException unparsable) {
            return null;
        }
    }
}
