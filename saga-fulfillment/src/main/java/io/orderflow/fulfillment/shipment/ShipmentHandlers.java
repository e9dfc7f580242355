package io.orderflow.fulfillment.shipment;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.fulfillment.api.ShipmentArrangedEvent;
import io.orderflow.fulfillment.api.ShipmentCancelledEvent;
import io.orderflow.fulfillment.api.ShipmentFailedEvent;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.CancelShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.OrderId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Shipping, simulated: a carrier takes every parcel except to the countries no carrier serves
 * ({@link CarrierCoverage}), which is how a shipment failure happens on purpose. One row per order makes each command idempotent and is written with the event that reports it.
 */
@Component
class ShipmentHandlers {

    private static final Logger log = LoggerFactory.getLogger(ShipmentHandlers.class);
    static final String CARRIER = "orderflow-post";

    private final JdbcTemplate jdbc;
    private final EventGateway events;
    private final Clock clock;
    private final CarrierCoverage coverage;

    ShipmentHandlers(JdbcTemplate jdbc, EventGateway events, Clock clock, CarrierCoverage coverage) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.coverage = coverage;
    }

    @CommandHandler
    ShipmentResult handle(ArrangeShipmentCommand command) {
        Optional<ShipmentState> recorded = stateOf(command.orderId());
        if (recorded.isPresent()) {
            return new ShipmentResult(recorded.get(), true);
        }
        PostalAddress to = command.deliveryAddress();
        UUID shipmentId = UUID.randomUUID();
        Optional<String> refusal = coverage.refusal(to.country());
        if (refusal.isPresent()) {
            String reason = refusal.get();
            insert(command, shipmentId, ShipmentState.FAILED, null, reason);
            events.publish(new ShipmentFailedEvent(command.orderId(), to, reason, command.customerId()));
            log.info("Order {}: shipment failed, {}", command.orderId(), reason);
            return new ShipmentResult(ShipmentState.FAILED, false);
        }
        insert(command, shipmentId, ShipmentState.ARRANGED, CARRIER, null);
        events.publish(new ShipmentArrangedEvent(command.orderId(), shipmentId.toString(), CARRIER, to,
                command.customerId()));
        log.debug("Order {}: shipment {} arranged to {}", command.orderId(), shipmentId, to.country());
        return new ShipmentResult(ShipmentState.ARRANGED, false);
    }

    @CommandHandler
    ShipmentState handle(CancelShipmentCommand command) {
        Optional<UUID> cancelled = jdbc.query("update shipment set state = 'CANCELLED', updated_at = ? "
                        + "where order_id = ? and state = 'ARRANGED' returning shipment_id",
                (row, i) -> row.getObject(1, UUID.class), Timestamp.from(clock.instant()),
                command.orderId().value()).stream().findFirst();
        if (cancelled.isEmpty()) {
            return stateOf(command.orderId()).orElse(ShipmentState.NONE);
        }
        events.publish(new ShipmentCancelledEvent(command.orderId(), cancelled.get().toString()));
        log.info("Order {}: shipment {} cancelled", command.orderId(), cancelled.get());
        return ShipmentState.CANCELLED;
    }

    private void insert(ArrangeShipmentCommand command, UUID shipmentId, ShipmentState state, String carrier,
                        String reason) {
        PostalAddress to = command.deliveryAddress();
        jdbc.update("insert into shipment (order_id, customer_id, shipment_id, state, carrier, street, city, "
                        + "postal_code, country, reason, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                command.orderId().value(), command.customerId().value(), shipmentId, state.name(), carrier,
                to.street(), to.city(), to.postalCode(), to.country(), reason, Timestamp.from(clock.instant()));
    }

    private Optional<ShipmentState> stateOf(OrderId orderId) {
        return jdbc.query("select state from shipment where order_id = ?",
                (row, i) -> ShipmentState.valueOf(row.getString(1)), orderId.value()).stream().findFirst();
    }
}
