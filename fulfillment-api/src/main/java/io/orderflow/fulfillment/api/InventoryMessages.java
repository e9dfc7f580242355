package io.orderflow.fulfillment.api;

import io.orderflow.order.api.Sku;
import io.orderflow.values.Required;
import io.orderflow.values.ValueViolation;

/**
 * The operator's view of and hand on the inventory: how much of a SKU is available, reserved and shipped, and
 * setting the available quantity after a stock count or a delivery.
 */
public final class InventoryMessages {

    /** The most a SKU's available quantity may be set to. */
    public static final int MAX_AVAILABLE = 1_000_000_000;

    private InventoryMessages() {
    }

    /** Answers the {@link StockLevel} of a SKU, or nothing if the inventory does not hold it. */
    public record FindStockLevelQuery(Sku sku) {
        public FindStockLevelQuery {
            Required.nonNull("sku", sku);
        }
    }

    /** Sets the available quantity of a SKU (creating it); reserved and shipped quantities stay as they are. */
    public record SetStockLevelCommand(Sku sku, int available) {
        public SetStockLevelCommand {
            Required.nonNull("sku", sku);
            validAvailable(available);
        }

        /** Answers the quantity if a SKU's available stock may be set to it, else throws a violation naming it. */
        public static int validAvailable(int available) {
            if (available < 0 || available > MAX_AVAILABLE) {
                throw new ValueViolation("available", "must be a whole number from 0 to " + MAX_AVAILABLE);
            }
            return available;
        }
    }

    /** A SKU's stock: {@code available + reserved + shipped} only changes when an operator sets it. */
    public record StockLevel(Sku sku, int available, int reserved, int shipped) {
    }
}
