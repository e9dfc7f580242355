package io.orderflow.fulfillment.inventory;

import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.Sku;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.UUID;

/**
 * Row locks of the inventory taken for several orders at once, in SKU order, at the start of a transaction that
 * then changes their stock one order after another (the fulfillment's straight path does a step of many orders in
 * one transaction, ADR 0013). Each command locks its own SKUs in SKU order (ADR 0007), but the orders of one
 * transaction, one after the other, would take the SKUs of all of them out of order, and two such transactions
 * could deadlock; taken here first, in one sorted statement, they never do. Must be called inside the transaction
 * whose commands follow: the locks last until it ends.
 */
@Component
public class InventoryLocks {

    private final JdbcTemplate jdbc;

    InventoryLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the rows of every SKU that these lines name. */
    public void lockForReserving(Collection<StockLine> lines) {
        String[] skus = lines.stream().map(StockLine::sku).map(Sku::value).distinct().sorted()
                .toArray(String[]::new);
        if (skus.length > 0) {
            jdbc.query("select sku from inventory_item where sku = any(?) order by sku for update",
                    row -> { }, (Object) skus);
        }
    }

    /** Locks the rows of every SKU that the reservations of these orders hold. */
    public void lockForSettling(Collection<OrderId> orders) {
        UUID[] ids = orders.stream().map(OrderId::value).toArray(UUID[]::new);
        if (ids.length > 0) {
            jdbc.query("select sku from inventory_item where sku in (select sku from stock_reservation_line "
                    + "where order_id = any(?)) order by sku for update", row -> { }, (Object) ids);
        }
    }
}
