package io.orderflow.fulfillment.inventory;

import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.order.api.OrderId;

import java.util.List;
import java.util.Objects;

/**
 * What the fulfillment saga asks of the inventory. Each is idempotent per order: a second delivery finds the
 * reservation's recorded state and changes nothing.
 */
public final class InventoryCommands {

    private InventoryCommands() {
    }

    /** Reserve every line of the order, or none of them. */
    public record ReserveStockCommand(OrderId orderId, List<StockLine> lines) {
        public ReserveStockCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
            lines = List.copyOf(lines);
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("lines must not be empty");
            }
        }
    }

    /** Give the order's reservation back to available (compensation); nothing happens if it holds none. */
    public record ReleaseStockCommand(OrderId orderId) {
        public ReleaseStockCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /** The order's reserved stock leaves with its shipment: reserved becomes shipped. */
    public record ShipReservedStockCommand(OrderId orderId) {
        public ShipReservedStockCommand {
            Objects.requireNonNull(orderId, "orderId must not be null");
        }
    }

    /**
     * What a reservation came to. {@code repeated} says the order's reservation was decided before, so no event
     * reports it this time: the caller must act on this answer (the earlier event may have been read already).
     */
    public record ReservationResult(ReservationState state, boolean repeated) {
    }

    /** Where an order's reservation stands after a command. */
    public enum ReservationState {
        RESERVED, REJECTED, RELEASED, SHIPPED, NONE
    }
}
