package io.orderflow.fulfillment.saga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.Association;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.CountFulfillmentSagasQuery;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FulfillmentSagaCounts;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FindFulfillmentSagasQuery;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.FulfillmentSagaView;
import io.orderflow.fulfillment.api.FulfillmentSagaMessages.PendingDeadline;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the fulfillment sagas where Axon keeps them (its saga store, as JSON) with their associations and the
 * deadlines db-scheduler holds for them, for the operator. Read-only; a saga that ended is no longer stored.
 */
@Component
class FulfillmentSagaInspector {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    FulfillmentSagaInspector(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    List<FulfillmentSagaView> handle(FindFulfillmentSagasQuery query) {
        // A saga that has not recorded a step yet is STARTING, as its view says.
        return jdbc.query("select s.saga_id, s.serialized_saga from saga_entry s where s.saga_type = ? "
                        + "and (cast(? as text) is null or coalesce(convert_from(s.serialized_saga, 'UTF8')::jsonb "
                        + "->> 'step', 'STARTING') = ?) "
                        + "and (cast(? as text) is null or exists (select 1 from association_value_entry a "
                        + "where a.saga_type = s.saga_type and a.association_key = ? and a.association_value = ? "
                        + "and a.saga_id = s.saga_id)) "
                        + "order by s.saga_id limit ?",
                (row, i) -> view(row.getString(1), read(row.getBytes(2))),
                FulfillmentSaga.class.getName(), query.step(), query.step(), query.orderId(),
                FulfillmentSaga.ORDER_ID, query.orderId(), query.limit());
    }

    @QueryHandler
    FulfillmentSagaCounts handle(CountFulfillmentSagasQuery query) {
        Map<String, Long> byStep = new HashMap<>();
        jdbc.query("select coalesce(convert_from(serialized_saga, 'UTF8')::jsonb ->> 'step', 'STARTING'), count(*) "
                        + "from saga_entry where saga_type = ? group by 1",
                row -> {
                    byStep.put(row.getString(1), row.getLong(2));
                }, FulfillmentSaga.class.getName());
        return new FulfillmentSagaCounts(byStep);
    }

    private FulfillmentSagaView view(String sagaId, JsonNode saga) {
        List<Association> associations = jdbc.query("select association_key, association_value "
                        + "from association_value_entry where saga_id = ? order by association_key",
                (row, i) -> new Association(row.getString(1), row.getString(2)), sagaId);
        List<PendingDeadline> deadlines = new ArrayList<>();
        text(saga, "addressDeadlineId").ifPresent(id ->
                deadlines.add(new PendingDeadline(FulfillmentSaga.ADDRESS_DEADLINE, id, dueAt(id))));
        text(saga, "retryDeadlineId").ifPresent(id ->
                deadlines.add(new PendingDeadline(text(saga, "retryDeadlineName").orElse("retry"), id, dueAt(id))));
        return new FulfillmentSagaView(sagaId, text(saga, "orderId").orElse(null),
                text(saga, "step").orElse("STARTING"), text(saga, "stuckAt").orElse(null),
                text(saga, "stuckCause").orElse(null), text(saga, "failureReason").orElse(null),
                saga.path("cancelled").asBoolean(false), saga.path("paymentAttempts").asInt(0), associations,
                deadlines);
    }

    private Instant dueAt(String deadlineId) {
        return jdbc.query("select execution_time from scheduled_tasks where task_instance = ?",
                (row, i) -> row.getTimestamp(1), deadlineId).stream().findFirst().map(Timestamp::toInstant)
                .orElse(null);
    }

    private JsonNode read(byte[] serialized) {
        try {
            return json.readTree(serialized);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored fulfillment saga is not readable JSON", e);
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
