package io.orderflow.fulfillment.saga;

import io.orderflow.order.api.OrderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;

/** Records that an order's fulfillment began, once per order, in the saga's transaction. */
@Component
public class FulfillmentRuns {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public FulfillmentRuns(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** True the first time for an order; false for a redelivered acceptance of an order already fulfilled. */
    public boolean begin(OrderId orderId) {
        return jdbc.update("insert into fulfillment_run (order_id, started_at) values (?, ?) "
                + "on conflict (order_id) do nothing", orderId.value(), Timestamp.from(clock.instant())) == 1;
    }
}
