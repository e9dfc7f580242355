package io.orderflow.projections.ordersummary;

import io.orderflow.values.PersonalData;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.generation.ChangeNotices;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderAwaitingAddressEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.OrderShipmentArrangedEvent;
import io.orderflow.order.api.OrderStockReservedEvent;
import io.orderflow.projections.api.OrderSummaryView;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The order summary's writes, gathered per batch of events: the rows of every order the batch names are read in
 * one statement when the batch's first event is handled, every event is applied to its row in memory, and the
 * rows that changed are written when the batch commits, new ones in one batched insert and changed ones in one
 * batched update. A batch of 500 events of 100 orders costs three statements instead of 500 reads and writes
 * through Hibernate, which is what a replay is made of (ADR 0010).
 *
 * <p>Each event is still judged when it is handled: an event of an order with no summary throws in its handler,
 * so the dead-letter queue parks that order's sequence (ADR 0012) exactly as before, and the rows of the batch are
 * written only if the batch commits. An event at or below a row's version is a redelivery and changes nothing.
 * Only this projection writes the table, and the events of one order are handled by one segment at a time, so a
 * row read at the start of a batch is still current when the batch writes it.
 */
@Component
class OrderSummaryWrites {

    private static final String RESOURCE = OrderSummaryWrites.class.getName() + ".batch";

    private final ChangeNotices notices;
    private static final TypeReference<List<OrderSummaryView.Line>> LINES = new TypeReference<>() { };
    private static final TypeReference<List<OrderSummaryView.HistoryEntry>> HISTORY = new TypeReference<>() { };
    private static final String COLUMNS = "order_id, customer_id, status, failure_reason, lines, total_amount, "
            + "currency, delivery_address, address_version, history, version, accepted_at, updated_at";

    /** The row format of the JSON columns: dates as ISO-8601 text, as the migrations read them. */
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    /** The personal parts of a delivery address as an erasure leaves them (merged into the stored JSON). */
    private static final String ERASED_ADDRESS_PARTS = "{\"street\": \"" + PersonalData.ERASED + "\", \"city\": \""
            + PersonalData.ERASED + "\", \"postalCode\": \"" + PersonalData.ERASED + "\"}";

    private final JdbcTemplate jdbc;

    OrderSummaryWrites(JdbcTemplate jdbc, ChangeNotices notices) {
        this.jdbc = jdbc;
        this.notices = notices;
    }

    /** One order's row while a batch is applied to it. */
    static final class Row {
        final UUID orderId;
        final UUID customerId;
        String status;
        String failureReason;
        final List<OrderSummaryView.Line> lines;
        final BigDecimal totalAmount;
        final String currency;
        PostalAddress deliveryAddress;
        final Long addressVersion;
        final List<OrderSummaryView.HistoryEntry> history;
        long version;
        final Instant acceptedAt;
        Instant updatedAt;
        final boolean stored;
        boolean changed;

        Row(UUID orderId, UUID customerId, String status, String failureReason, List<OrderSummaryView.Line> lines,
            BigDecimal totalAmount, String currency, PostalAddress deliveryAddress, Long addressVersion,
            List<OrderSummaryView.HistoryEntry> history, long version, Instant acceptedAt, Instant updatedAt,
            boolean stored) {
            this.orderId = orderId;
            this.customerId = customerId;
            this.status = status;
            this.failureReason = failureReason;
            this.lines = lines;
            this.totalAmount = totalAmount;
            this.currency = currency;
            this.deliveryAddress = deliveryAddress;
            this.addressVersion = addressVersion;
            this.history = new ArrayList<>(history);
            this.version = version;
            this.acceptedAt = acceptedAt;
            this.updatedAt = updatedAt;
            this.stored = stored;
        }

        /** Records that an event moved the order on; false for a redelivery (at or below the row's version). */
        boolean apply(long sequence, String eventType, Instant at, String newStatus, String newFailureReason) {
            if (sequence <= version) {
                return false;
            }
            if (newFailureReason != null) {
                failureReason = newFailureReason;
            }
            history.add(new OrderSummaryView.HistoryEntry(eventType, at));
            status = newStatus;
            version = sequence;
            updatedAt = at;
            changed = true;
            return true;
        }
    }

    /** The rows of one unit of work: those read at its start, and those its acceptances created. */
    private final class Batch {
        final int generation;
        final Map<UUID, Row> rows = new LinkedHashMap<>();

        Batch(int generation, UnitOfWork<?> root) {
            this.generation = generation;
            Set<UUID> named = ordersNamedIn(root);
            if (!named.isEmpty()) {
                jdbc.query("SELECT " + COLUMNS + " FROM order_summary WHERE generation = ? AND order_id = any(?)",
                        resultSet -> {
                            Row row = new Row(resultSet.getObject(1, UUID.class), resultSet.getObject(2, UUID.class),
                                    resultSet.getString(3), resultSet.getString(4), read(resultSet.getString(5), LINES),
                                    resultSet.getBigDecimal(6), resultSet.getString(7),
                                    resultSet.getString(8) == null ? null : read(resultSet.getString(8), PostalAddress.class),
                                    resultSet.getObject(9, Long.class), read(resultSet.getString(10), HISTORY),
                                    resultSet.getLong(11), resultSet.getTimestamp(12).toInstant(),
                                    resultSet.getTimestamp(13).toInstant(), true);
                            rows.put(row.orderId, row);
                        }, generation, named.toArray(UUID[]::new));
            }
            root.onPrepareCommit(u -> store());
        }

        void store() {
            List<Object[]> inserts = new ArrayList<>();
            List<Object[]> updates = new ArrayList<>();
            for (Row row : rows.values()) {
                if (!row.changed) {
                    continue;
                }
                if (row.stored) {
                    updates.add(new Object[] {row.status, row.failureReason, toJson(row.history), row.version,
                            Timestamp.from(row.updatedAt), generation, row.orderId});
                } else {
                    inserts.add(new Object[] {generation, row.orderId, row.customerId, row.status, row.failureReason,
                            toJson(row.lines), row.totalAmount, row.currency,
                            row.deliveryAddress == null ? null : toJson(row.deliveryAddress), row.addressVersion,
                            toJson(row.history), row.version, Timestamp.from(row.acceptedAt),
                            Timestamp.from(row.updatedAt)});
                }
            }
            if (!inserts.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO order_summary (generation, " + COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)", inserts);
            }
            if (!updates.isEmpty()) {
                jdbc.batchUpdate("UPDATE order_summary SET status = ?, failure_reason = ?, history = ?::jsonb, "
                        + "version = ?, updated_at = ? WHERE generation = ? AND order_id = ?", updates);
            }
            // Wakes the readers waiting for these orders' versions, once this transaction has committed.
            List<UUID> changed = rows.values().stream().filter(row -> row.changed).map(row -> row.orderId).toList();
            if (!changed.isEmpty()) {
                notices.notifyChanged(ProjectionProcessors.ORDER_SUMMARY, changed);
            }
        }
    }

    /** The row of an accepted order: the stored one, or a new one if the order has none yet. */
    Row accepted(int generation, OrderAcceptedEvent event) {
        Batch batch = batch(generation);
        return batch.rows.computeIfAbsent(event.orderId().value(), id -> new Row(id, event.customerId().value(),
                null, null, event.lines().stream().map(line -> new OrderSummaryView.Line(line.sku().value(),
                        line.name(), line.quantity(), line.unitPrice(), line.lineTotal())).toList(),
                event.totalAmount(), event.currency(), event.deliveryAddress(), event.addressVersion(), List.of(), -1,
                event.acceptedAt(), event.acceptedAt(), false));
    }

    /**
     * The customer was erased: the delivery addresses of their orders lose their personal parts, in every generation
     * and in the rows this unit of work has not stored yet.
     */
    void erased(UUID customerId) {
        Batch batch = CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get().root().<Batch>getResource(RESOURCE) : null;
        if (batch != null) {
            batch.rows.values().stream().filter(row -> row.customerId.equals(customerId) && !row.stored
                    && row.deliveryAddress != null).forEach(row -> row.deliveryAddress = row.deliveryAddress.erased());
        }
        jdbc.update("UPDATE order_summary SET delivery_address = delivery_address || ?::jsonb "
                + "WHERE customer_id = ? AND delivery_address IS NOT NULL", ERASED_ADDRESS_PARTS, customerId);
    }

    /** The row of a known order, or an exception that names what is missing. */
    Row known(int generation, OrderId orderId, long sequence, String type) {
        Row row = batch(generation).rows.get(orderId.value());
        if (row == null) {
            throw new IllegalStateException("order " + orderId + " has event " + sequence + " (" + type
                    + ") but no summary; the projection missed its acceptance");
        }
        return row;
    }

    private Batch batch(int generation) {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Batch batch = root.getOrComputeResource(RESOURCE, key -> new Batch(generation, root));
        if (batch.generation != generation) {
            throw new IllegalStateException("one unit of work wrote two generations of the order summary");
        }
        return batch;
    }

    /** The orders that the order events of the unit of work name (its one message, or a batch's). */
    private static Set<UUID> ordersNamedIn(UnitOfWork<?> root) {
        List<? extends Message<?>> messages = root instanceof BatchingUnitOfWork<?> batch ? batch.getMessages()
                : root.getMessage() == null ? List.of() : List.of(root.getMessage());
        Set<UUID> orders = new LinkedHashSet<>();
        for (Message<?> message : messages) {
            if (message instanceof EventMessage<?> event) {
                OrderId id = orderOf(event);
                if (id != null) {
                    orders.add(id.value());
                }
            }
        }
        return orders;
    }

    private static OrderId orderOf(EventMessage<?> event) {
        Class<?> type = event.getPayloadType();
        if (type == OrderAcceptedEvent.class) {
            return ((OrderAcceptedEvent) event.getPayload()).orderId();
        } else if (type == OrderAwaitingAddressEvent.class) {
            return ((OrderAwaitingAddressEvent) event.getPayload()).orderId();
        } else if (type == OrderStockReservedEvent.class) {
            return ((OrderStockReservedEvent) event.getPayload()).orderId();
        } else if (type == OrderPaymentAuthorizedEvent.class) {
            return ((OrderPaymentAuthorizedEvent) event.getPayload()).orderId();
        } else if (type == OrderShipmentArrangedEvent.class) {
            return ((OrderShipmentArrangedEvent) event.getPayload()).orderId();
        } else if (type == OrderCompletedEvent.class) {
            return ((OrderCompletedEvent) event.getPayload()).orderId();
        } else if (type == OrderFailedEvent.class) {
            return ((OrderFailedEvent) event.getPayload()).orderId();
        } else if (type == OrderCancelledEvent.class) {
            return ((OrderCancelledEvent) event.getPayload()).orderId();
        }
        return null;
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
