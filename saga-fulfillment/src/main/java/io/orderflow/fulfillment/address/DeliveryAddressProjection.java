package io.orderflow.fulfillment.address;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import io.orderflow.fulfillment.api.DeliveryAddressReadyEvent;
import io.orderflow.fulfillment.api.FulfillmentProcessors;
import io.orderflow.order.api.OrderId;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The fulfillment context's own copy of each customer's shipping address, fed from
 * {@code orderflow.shipping-address-changed} (never from the customer context's tables), where the address router
 * puts the shipping address of every customer-profile version (ADR 0023): a billing change too raises the version
 * there, so the version an order names is always reachable.
 * An event whose version is not newer than the stored one changes nothing, so late, repeated or out-of-order
 * deliveries never roll an address back. When a version satisfies an order that waits for it, the same transaction
 * announces that with a {@link DeliveryAddressReadyEvent} (ADR 0008).
 */
@Component
@ProcessingGroup(DeliveryAddressProjection.PROCESSING_GROUP)
class DeliveryAddressProjection {

    static final String PROCESSING_GROUP = FulfillmentProcessors.DELIVERY_ADDRESS;
    private static final Logger log = LoggerFactory.getLogger(DeliveryAddressProjection.class);

    private final JdbcTemplate jdbc;
    private final EventGateway events;
    private final Clock clock;

    DeliveryAddressProjection(JdbcTemplate jdbc, EventGateway events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @EventHandler
    void on(ShippingAddressChangedEvent event) {
        apply(event.customerId().value(), event.version(), event.address());
    }

    private void apply(UUID customerId, long version, PostalAddress address) {
        // The upsert takes the row lock a waiting saga holds while it registers its wait, so a wait is either seen
        // here or registered after this version is visible to the saga (DeliveryAddresses).
        int applied = jdbc.update("insert into delivery_address (customer_id, version, street, city, postal_code, "
                        + "country, updated_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (customer_id) do update set "
                        + "version = excluded.version, street = excluded.street, city = excluded.city, "
                        + "postal_code = excluded.postal_code, country = excluded.country, "
                        + "updated_at = excluded.updated_at where delivery_address.version < excluded.version",
                customerId, version, address.street(), address.city(), address.postalCode(), address.country(),
                Timestamp.from(clock.instant()));
        if (applied == 0) {
            log.debug("Customer {}: address version {} is not newer than the stored one; ignored", customerId,
                    version);
            return;
        }
        if (address.isErased()) {
            // The customer was erased (the router sends the erased address at the erasure's version): the addresses
            // their shipments went to are erased too.
            int shipments = jdbc.update("update shipment set street = ?, city = ?, postal_code = ? "
                    + "where customer_id = ?", address.street(), address.city(), address.postalCode(), customerId);
            log.info("Customer {} erased: the delivery address and {} shipment address(es) erased", customerId,
                    shipments);
        }
        announceSatisfiedWaits(customerId);
    }

    private void announceSatisfiedWaits(UUID customerId) {
        List<DeliveryAddressReadyEvent> ready = jdbc.query("with satisfied as (delete from delivery_address_wait w "
                        + "using delivery_address a where w.customer_id = ? and a.customer_id = w.customer_id "
                        + "and a.version >= w.version returning w.order_id) "
                        + "select s.order_id, a.version, a.street, a.city, a.postal_code, a.country "
                        + "from satisfied s join delivery_address a on a.customer_id = ?",
                (row, i) -> new DeliveryAddressReadyEvent(new OrderId(row.getObject(1, UUID.class)),
                        new CustomerId(customerId), row.getLong(2),
                        new PostalAddress(row.getString(3), row.getString(4), row.getString(5), row.getString(6))),
                customerId, customerId);
        for (DeliveryAddressReadyEvent event : ready) {
            events.publish(event);
            log.info("Order {}: the address it waited for (customer {} version {}) is known", event.orderId(),
                    customerId, event.version());
        }
    }
}
