package io.orderflow.fulfillment.address;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/**
 * What the fulfillment saga asks of the local delivery-address projection: "is the customer's address at version
 * N yet, and if not, tell me when it is".
 *
 * <p>The answer and the registration of the wait happen under the customer's row lock, in the saga's transaction,
 * and the projection takes the same lock to apply a version. So either the saga sees the version, or its wait is
 * committed before the projection can apply it and the projection announces it: no version slips between the
 * question and the wait (ADR 0008).
 */
@Component
public class DeliveryAddresses {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeliveryAddresses(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * The customer's shipping address if the projection has reached {@code version}; otherwise registers the order's
     * wait for it and answers nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<PostalAddress> addressAtOrAwait(OrderId orderId, CustomerId customerId, long version) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("insert into delivery_address (customer_id, version, updated_at) values (?, -1, ?) "
                + "on conflict (customer_id) do nothing", customerId.value(), now);
        Optional<PostalAddress> known = jdbc.query("select version, street, city, postal_code, country "
                        + "from delivery_address where customer_id = ? for update",
                (row, i) -> row.getLong(1) >= version && row.getString(2) != null
                        ? Optional.of(new PostalAddress(row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5)))
                        : Optional.<PostalAddress>empty(), customerId.value())
                .stream().findFirst().flatMap(address -> address);
        if (known.isEmpty()) {
            jdbc.update("insert into delivery_address_wait (order_id, customer_id, version, since) "
                    + "values (?, ?, ?, ?) on conflict (order_id) do nothing", orderId.value(), customerId.value(),
                    version, now);
        }
        return known;
    }

    /** The order no longer waits (it got its address, gave up, or was cancelled). */
    public void stopWaiting(OrderId orderId) {
        jdbc.update("delete from delivery_address_wait where order_id = ?", orderId.value());
    }
}
