package io.orderflow.gateway.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.gateway.web.Amounts;
import io.orderflow.gateway.web.CommandTimeoutException;
import io.orderflow.gateway.web.Commands;
import io.orderflow.gateway.web.IdempotencyKeyReusedException;
import io.orderflow.gateway.web.InvalidRequestException;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.PlaceOrderResult;
import io.orderflow.projections.api.OrderSummaryView;
import io.orderflow.wiring.settings.ApiProperties;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Places an order at most once per {@code Idempotency-Key} of one caller. The first request claims the key in
 * PostgreSQL together with the order id it will use, so every repeat, concurrent or after a crash, addresses the
 * same order: the aggregate's unique (id, sequence) index lets only one of them create it. A repeat with the same
 * body gets the original answer; a repeat with another body is refused (422). A key belongs to the caller who sent
 * it (the token's subject), so two callers never meet through one; it expires after
 * {@code orderflow.api.idempotency-key-ttl} (24 hours by default), when {@link #purgeExpired()} removes it.
 */
@Component
class IdempotentOrderPlacement {

    /** Printable ASCII, as in the IETF draft's examples; long enough for a UUID or a client's own scheme. */
    private static final Pattern KEY_FORMAT = Pattern.compile("[\\x21-\\x7E]{1,200}");
    private static final long POLL_MILLIS = 25;
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentOrderPlacement.class);

    private final JdbcTemplate jdbc;
    private final Commands commands;
    private final OrderQueries queries;
    private final ObjectMapper json;
    private final Duration waitForOtherRequest;
    private final Duration ttl;

    IdempotentOrderPlacement(JdbcTemplate jdbc, Commands commands, OrderQueries queries, ObjectMapper json,
                             ApiProperties settings) {
        this.jdbc = jdbc;
        this.commands = commands;
        this.queries = queries;
        this.json = json;
        this.waitForOtherRequest = settings.commandTimeout();
        this.ttl = settings.idempotencyKeyTtl();
    }

    /** One caller's key. */
    record Key(String principal, String value) {
    }

    /**
     * Removes the keys older than their time to live: a repeat after that places a new order. The interval is the
     * placeholder of {@link ApiProperties#idempotencyKeyPurgeInterval()}, with the same default.
     */
    @Scheduled(fixedDelayString = "${orderflow.api.idempotency-key-purge-interval:10m}", initialDelay = 60_000)
    void purgeExpired() {
        int purged = jdbc.update("DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => ?)",
                (double) ttl.toSeconds());
        if (purged > 0) {
            LOG.info("Removed {} Idempotency-Keys older than {}", purged, ttl);
        }
    }

    static void requireValidKey(String key) {
        if (!KEY_FORMAT.matcher(key).matches()) {
            throw InvalidRequestException.of("Idempotency-Key", "must be 1 to 200 printable ASCII characters");
        }
    }

    /**
     * @param commandFor builds the command for the order id that this key stands for
     */
    OrderController.PlacedOrder place(Key key, PlaceOrderRequest request,
                                      Function<OrderId, PlaceOrderCommand> commandFor, String traceId) {
        String hash = hash(request);
        UUID candidate = UUID.randomUUID();
        int claimed = jdbc.update("INSERT INTO idempotency_key (principal, idempotency_key, request_hash, order_id, "
                        + "created_at) VALUES (?, ?, ?, ?, now()) ON CONFLICT (principal, idempotency_key) DO NOTHING",
                key.principal(), key.value(), hash, candidate);
        if (claimed == 1) {
            return resume(key, new OrderId(candidate), commandFor, traceId);
        }
        Map<String, Object> row = jdbc.queryForMap("SELECT request_hash, order_id, response_body "
                + "FROM idempotency_key WHERE principal = ? AND idempotency_key = ?", key.principal(), key.value());
        if (!hash.equals(row.get("request_hash"))) {
            throw new IdempotencyKeyReusedException(key.value());
        }
        if (row.get("response_body") != null) {
            return read((String) row.get("response_body"));
        }
        return resume(key, new OrderId((UUID) row.get("order_id")), commandFor, traceId);
    }

    private OrderController.PlacedOrder placeAndRemember(Key key, OrderId orderId,
                                                         Function<OrderId, PlaceOrderCommand> commandFor,
                                                         String traceId) {
        PlaceOrderResult result;
        try {
            result = commands.send(commandFor.apply(orderId), traceId);
        } catch (OrderRejectedException rejected) {
            // Nothing was created: release the key so that a corrected request may use it.
            jdbc.update("DELETE FROM idempotency_key WHERE principal = ? AND idempotency_key = ? "
                    + "AND response_body IS NULL", key.principal(), key.value());
            throw rejected;
        }
        OrderController.PlacedOrder placed = OrderController.PlacedOrder.of(result);
        remember(key, placed);
        return placed;
    }

    /**
     * Places the key's order. The key may have been claimed by another request that is placing the order now, or
     * that crashed before it could store the answer; and a repeat may even create the order before the request that
     * claimed the key does. Sending the same command settles every case: it creates the order, or it finds the
     * order already there and waits for (or rebuilds) the answer.
     */
    private OrderController.PlacedOrder resume(Key key, OrderId orderId,
                                               Function<OrderId, PlaceOrderCommand> commandFor, String traceId) {
        try {
            return placeAndRemember(key, orderId, commandFor, traceId);
        } catch (AggregateStreamCreationException | ConcurrencyException alreadyPlaced) {
            return awaitAnswer(key, orderId);
        }
    }

    private OrderController.PlacedOrder awaitAnswer(Key key, OrderId orderId) {
        long deadline = System.nanoTime() + waitForOtherRequest.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = jdbc.queryForObject("SELECT response_body FROM idempotency_key "
                        + "WHERE principal = ? AND idempotency_key = ?", String.class, key.principal(), key.value());
                if (body != null) {
                    return read(body);
                }
            } catch (EmptyResultDataAccessException released) {
                break;
            }
            pause();
        }
        // The request that created the order never stored its answer (it crashed): rebuild it from the order.
        OrderSummaryView view = queries.findSummary(orderId, 0L).join().view().orElseThrow(() ->
                new CommandTimeoutException("the order for Idempotency-Key " + key.value() + " is not readable yet",
                        null));
        OrderController.PlacedOrder placed = new OrderController.PlacedOrder(view.orderId().toString(), "ACCEPTED",
                Amounts.format(view.totalAmount(), view.currency()), view.currency(), 0);
        remember(key, placed);
        return placed;
    }

    private void remember(Key key, OrderController.PlacedOrder placed) {
        try {
            jdbc.update("UPDATE idempotency_key SET response_body = ?, completed_at = now() "
                    + "WHERE principal = ? AND idempotency_key = ? AND response_body IS NULL",
                    json.writeValueAsString(placed), key.principal(), key.value());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the answer for Idempotency-Key " + key, e);
        }
    }

    private OrderController.PlacedOrder read(String body) {
        try {
            return json.readValue(body, OrderController.PlacedOrder.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored answer is unreadable", e);
        }
    }

    /** The request's content, independent of whitespace and key order. */
    private String hash(PlaceOrderRequest request) {
        try {
            byte[] canonical = json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandTimeoutException("interrupted while waiting for the first request", e);
        }
    }
}
