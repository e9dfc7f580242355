package io.orderflow.fulfillment.saga;

import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.fulfillment.payment.PaymentAuthorization;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCommands.CompleteOrderCommand;
import io.orderflow.order.api.OrderCommands.FailOrderCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderCommands.RecordShipmentArrangedCommand;
import io.orderflow.order.api.OrderCommands.RecordStockReservedCommand;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderStatus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the straight path of the new orders of a batch side by side, before the saga sees them (ADR 0013).
 *
 * <p>The fulfillment processor hands its saga one event after another on one thread, and a saga step waits for
 * its participant's answer; one order at a time, a burst of orders would queue behind every payment call. So, once
 * per batch, before the first event is handled, this interceptor takes the batch's {@link OrderAcceptedEvent}s that
 * carry their delivery address and have no fulfillment yet, and runs each order's straight path on a bounded pool:
 * reserve stock, record it on the order, authorize the payment (holding no database connection while the provider
 * answers: {@link PaymentAuthorization}), record it, arrange the shipment, record it (the
 * point of no return), ship the reserved stock and complete the order; or, out of stock, fail the order. These are
 * the saga's own commands, each committed on its own before the next is sent, exactly as the saga sends them
 * ({@link SagaCommands}), so a crash anywhere repeats at most the current step.
 *
 * <p>An order that ended here is recorded as fulfilled ({@code fulfillment_run}) in the batch's transaction, and
 * when the saga then reads its acceptance, it starts nothing. An order whose path met anything else (a decline, no
 * payment decision, a failed shipment, a cancellation, a refusal, an error) is left to the saga, which starts on
 * the same acceptance, asks the same idempotent commands again (each answers what was decided) and takes it from
 * there with its compensation, deadlines and stuck states. If the batch rolls back, the run records go with it and
 * the redelivered batch repeats the paths, each command answering the outcome it decided before.
 */
@Component
public class ParallelFulfillment implements ConfigurerModule, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ParallelFulfillment.class);
    private static final String DONE = ParallelFulfillment.class.getName() + ".done";

    private final ObjectProvider<CommandGateway> commands;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CrashPoints crashPoints;
    private final PaymentAuthorization payments;
    private final ExecutorService pool;
    private final Duration timeout;
    private final List<CorrelationDataProvider> correlation = List.of(new MessageOriginProvider());

    /** The gateway is looked up when first used: it is built from the Axon configuration that this module joins. */
    public ParallelFulfillment(ObjectProvider<CommandGateway> commands, JdbcTemplate jdbc, Clock clock, CrashPoints crashPoints,
                               PaymentAuthorization payments,
                               @Value("${orderflow.fulfillment.parallelism:64}") int parallelism,
                               @Value("${orderflow.fulfillment.command-timeout:30s}") Duration timeout) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("orderflow.fulfillment.parallelism must be at least 1");
        }
        this.commands = commands;
        this.jdbc = jdbc;
        this.clock = clock;
        this.crashPoints = crashPoints;
        this.payments = payments;
        this.timeout = timeout;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("fulfillment-path-");
        threads.setDaemon(true);
        this.pool = Executors.newFixedThreadPool(parallelism, threads);
    }

    /**
     * Intercepts the fulfillment processor's events, the saga's, and no other processor's. (The interceptor is not
     * a bean of its own: Axon's Spring configuration would apply an interceptor bean to every processor.)
     */
    @Override
    public void configureModule(Configurer configurer) {
        MessageHandlerInterceptor<EventMessage<?>> interceptor = this::intercept;
        configurer.eventProcessing().registerHandlerInterceptor(FulfillmentSaga.PROCESSING_GROUP,
                config -> interceptor);
    }

    Object intercept(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        if (root.resources().putIfAbsent(DONE, Boolean.TRUE) == null) {
            runStraightPaths(acceptedIn(root));
        }
        return chain.proceed();
    }

    private static List<EventMessage<?>> acceptedIn(UnitOfWork<?> root) {
        List<? extends Message<?>> messages = root instanceof BatchingUnitOfWork<?> batch ? batch.getMessages()
                : root.getMessage() == null ? List.of() : List.of(root.getMessage());
        List<EventMessage<?>> accepted = new ArrayList<>();
        for (Message<?> message : messages) {
            if (message instanceof EventMessage<?> event
                    && OrderAcceptedEvent.class.isAssignableFrom(event.getPayloadType())
                    && event.getPayload() instanceof OrderAcceptedEvent order && order.deliveryAddress() != null) {
                accepted.add(event);
            }
        }
        return accepted;
    }

    private void runStraightPaths(List<EventMessage<?>> accepted) throws Exception {
        if (accepted.isEmpty()) {
            return;
        }
        Map<UUID, EventMessage<?>> fresh = new LinkedHashMap<>();
        accepted.forEach(event -> fresh.putIfAbsent(((OrderAcceptedEvent) event.getPayload()).orderId().value(),
                event));
        jdbc.query("select order_id from fulfillment_run where order_id = any(?)",
                row -> { fresh.remove(row.getObject(1, UUID.class)); }, (Object) fresh.keySet().toArray(UUID[]::new));
        List<Future<Boolean>> paths = new ArrayList<>();
        List<OrderId> orders = new ArrayList<>();
        for (EventMessage<?> event : fresh.values()) {
            OrderAcceptedEvent order = (OrderAcceptedEvent) event.getPayload();
            MetaData metaData = MetaData.emptyInstance();
            for (CorrelationDataProvider provider : correlation) {
                metaData = metaData.mergedWith(provider.correlationDataFor(event));
            }
            MetaData carried = metaData;
            orders.add(order.orderId());
            paths.add(pool.submit(() -> straightPath(order, carried)));
        }
        Set<OrderId> ended = new HashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            try {
                if (paths.get(i).get()) {
                    ended.add(orders.get(i));
                }
            } catch (ExecutionException e) {
                log.debug("Order {}: left to the saga after {}", orders.get(i), e.getCause().toString());
            }
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate("insert into fulfillment_run (order_id, started_at) values (?, ?) "
                + "on conflict (order_id) do nothing", ended.stream().map(id -> new Object[]{id.value(), now}).toList());
        log.debug("{} of {} new orders of the batch ended on their straight path; the saga takes the others",
                ended.size(), orders.size());
    }

    /** True if the order ended (completed, or failed for want of stock); false if the saga must take over. */
    private boolean straightPath(OrderAcceptedEvent order, MetaData metaData) {
        OrderId id = order.orderId();
        List<StockLine> lines = order.lines().stream().map(line -> new StockLine(line.sku(), line.quantity()))
                .toList();
        ReservationResult reservation = send(new ReserveStockCommand(id, lines), metaData);
        if (reservation.state() == ReservationState.REJECTED) {
            return goesOn(send(new FailOrderCommand(id, FailureReason.OUT_OF_STOCK), metaData));
        }
        // SHIPPED: the path ran this far before (the batch was read again after a failure) and goes on.
        boolean reserved = reservation.state() == ReservationState.RESERVED
                || reservation.state() == ReservationState.SHIPPED;
        if (!reserved || !goesOn(send(new RecordStockReservedCommand(id), metaData))) {
            return false;
        }
        crashPoints.reach(CrashPoints.AFTER_STOCK_RESERVED);
        PaymentResult payment = payments.authorize(id, order.totalAmount(), order.currency(), 1,
                record -> send(record, metaData));
        if (payment.state() != PaymentState.AUTHORIZED
                || !goesOn(send(new RecordPaymentAuthorizedCommand(id), metaData))) {
            return false;
        }
        crashPoints.reach(CrashPoints.BEFORE_SHIPMENT);
        ShipmentResult shipment = send(new ArrangeShipmentCommand(id, order.deliveryAddress()), metaData);
        if (shipment.state() != ShipmentState.ARRANGED
                || !goesOn(send(new RecordShipmentArrangedCommand(id), metaData))) {
            return false;
        }
        send(new ShipReservedStockCommand(id), metaData);
        return goesOn(send(new CompleteOrderCommand(id), metaData));
    }

    private static boolean goesOn(OrderWriteResult written) {
        return written != null && written.status() != OrderStatus.CANCELLED;
    }

    private <R> R send(Object command, MetaData metaData) {
        return commands.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
