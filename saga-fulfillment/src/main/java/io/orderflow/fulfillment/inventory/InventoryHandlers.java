package io.orderflow.fulfillment.inventory;

import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.api.InventoryMessages.FindStockLevelQuery;
import io.orderflow.fulfillment.api.InventoryMessages.SetStockLevelCommand;
import io.orderflow.fulfillment.api.InventoryMessages.StockLevel;
import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.api.StockReleasedEvent;
import io.orderflow.fulfillment.api.StockReservationRejectedEvent;
import io.orderflow.fulfillment.api.StockReservedEvent;
import io.orderflow.fulfillment.api.StockShippedEvent;
import io.orderflow.fulfillment.api.StockShortage;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReleaseStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.Sku;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The inventory: one row per SKU, changed only under its row lock (ADR 0007). A reservation locks the rows of its
 * SKUs in SKU order (so two orders never deadlock), checks them all, and then takes them all, in the command's
 * transaction together with the event that reports it. No stock can be sold twice: the check and the change happen
 * under one lock, and the table refuses a negative quantity besides.
 */
@Component
class InventoryHandlers {

    private static final Logger log = LoggerFactory.getLogger(InventoryHandlers.class);

    private final JdbcTemplate jdbc;
    private final EventGateway events;
    private final Clock clock;
    private final CrashPoints crashPoints;

    InventoryHandlers(JdbcTemplate jdbc, EventGateway events, Clock clock, CrashPoints crashPoints) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.crashPoints = crashPoints;
    }

    @CommandHandler
    ReservationResult handle(ReserveStockCommand command) {
        Optional<ReservationState> recorded = stateOf(command.orderId());
        if (recorded.isPresent()) {
            return new ReservationResult(recorded.get(), true);
        }
        Map<Sku, Integer> wanted = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        command.lines().forEach(line -> wanted.merge(line.sku(), line.quantity(), Integer::sum));

        Map<String, Integer> available = new TreeMap<>();
        for (Sku sku : wanted.keySet()) {
            jdbc.query("select available from inventory_item where sku = ? for update",
                    row -> { available.put(sku.value(), row.getInt(1)); }, sku.value());
        }
        List<StockShortage> shortages = new ArrayList<>();
        wanted.forEach((sku, quantity) -> {
            int onHand = available.getOrDefault(sku.value(), 0);
            if (onHand < quantity) {
                shortages.add(new StockShortage(sku, quantity, onHand));
            }
        });
        Timestamp now = Timestamp.from(clock.instant());
        if (!shortages.isEmpty()) {
            jdbc.update("insert into stock_reservation (order_id, state, created_at, updated_at) values (?, ?, ?, ?)",
                    command.orderId().value(), ReservationState.REJECTED.name(), now, now);
            events.publish(new StockReservationRejectedEvent(command.orderId(), shortages));
            log.debug("Order {}: stock reservation rejected, short of {}", command.orderId(), shortages);
            return new ReservationResult(ReservationState.REJECTED, false);
        }
        jdbc.update("insert into stock_reservation (order_id, state, created_at, updated_at) values (?, ?, ?, ?)",
                command.orderId().value(), ReservationState.RESERVED.name(), now, now);
        List<StockLine> lines = new ArrayList<>();
        wanted.forEach((sku, quantity) -> {
            jdbc.update("update inventory_item set available = available - ?, reserved = reserved + ? where sku = ?",
                    quantity, quantity, sku.value());
            jdbc.update("insert into stock_reservation_line (order_id, sku, quantity) values (?, ?, ?)",
                    command.orderId().value(), sku.value(), quantity);
            lines.add(new StockLine(sku, quantity));
        });
        events.publish(new StockReservedEvent(command.orderId(), lines));
        log.debug("Order {}: stock reserved {}", command.orderId(), lines);
        return new ReservationResult(ReservationState.RESERVED, false);
    }

    @CommandHandler
    ReservationState handle(ReleaseStockCommand command) {
        // Releasing is the last undo of every compensation: a crash here leaves the others done and this one not.
        crashPoints.reach(CrashPoints.DURING_COMPENSATION);
        List<StockLine> lines = settle(command.orderId(), ReservationState.RELEASED,
                "update inventory_item set available = available + ?, reserved = reserved - ? where sku = ?");
        if (lines.isEmpty()) {
            return stateOf(command.orderId()).orElse(ReservationState.NONE);
        }
        events.publish(new StockReleasedEvent(command.orderId(), lines));
        log.info("Order {}: reserved stock released {}", command.orderId(), lines);
        return ReservationState.RELEASED;
    }

    @CommandHandler
    ReservationState handle(ShipReservedStockCommand command) {
        List<StockLine> lines = settle(command.orderId(), ReservationState.SHIPPED,
                "update inventory_item set shipped = shipped + ?, reserved = reserved - ? where sku = ?");
        if (lines.isEmpty()) {
            return stateOf(command.orderId()).orElse(ReservationState.NONE);
        }
        events.publish(new StockShippedEvent(command.orderId(), lines));
        return ReservationState.SHIPPED;
    }

    @CommandHandler
    StockLevel handle(SetStockLevelCommand command) {
        jdbc.update("insert into inventory_item (sku, available) values (?, ?) "
                + "on conflict (sku) do update set available = excluded.available", command.sku().value(),
                command.available());
        log.info("Stock of {} set to {} available", command.sku(), command.available());
        return level(command.sku()).orElseThrow();
    }

    @QueryHandler
    Optional<StockLevel> handle(FindStockLevelQuery query) {
        return level(query.sku());
    }

    /**
     * Moves a RESERVED reservation to its final state and applies the stock change for each of its lines. The
     * conditional update is the idempotency: a second delivery finds the reservation no longer RESERVED.
     */
    private List<StockLine> settle(OrderId orderId, ReservationState to, String stockUpdate) {
        int changed = jdbc.update("update stock_reservation set state = ?, updated_at = ? "
                        + "where order_id = ? and state = 'RESERVED'", to.name(), Timestamp.from(clock.instant()),
                orderId.value());
        if (changed == 0) {
            return List.of();
        }
        List<StockLine> lines = jdbc.query("select sku, quantity from stock_reservation_line where order_id = ? "
                        + "order by sku", (row, i) -> new StockLine(new Sku(row.getString(1)), row.getInt(2)),
                orderId.value());
        for (StockLine line : lines) {
            jdbc.update(stockUpdate, line.quantity(), line.quantity(), line.sku().value());
        }
        return lines;
    }

    private Optional<ReservationState> stateOf(OrderId orderId) {
        return jdbc.query("select state from stock_reservation where order_id = ?",
                (row, i) -> ReservationState.valueOf(row.getString(1)), orderId.value()).stream().findFirst();
    }

    private Optional<StockLevel> level(Sku sku) {
        return jdbc.query("select available, reserved, shipped from inventory_item where sku = ?",
                (row, i) -> new StockLevel(sku, row.getInt(1), row.getInt(2), row.getInt(3)), sku.value())
                .stream().findFirst();
    }
}
