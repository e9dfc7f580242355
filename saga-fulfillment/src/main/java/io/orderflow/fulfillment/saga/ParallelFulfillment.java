package io.orderflow.fulfillment.saga;

import io.orderflow.fulfillment.settings.FulfillmentProperties;
import io.orderflow.order.api.Money;
import io.orderflow.fulfillment.CrashPoints;
import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.fulfillment.inventory.InventoryLocks;
import io.orderflow.fulfillment.payment.PaymentAuthorization;
import io.orderflow.fulfillment.payment.PaymentAuthorization.Answered;
import io.orderflow.fulfillment.payment.PaymentAuthorization.Asked;
import io.orderflow.fulfillment.payment.PaymentAuthorization.Recorded;
import io.orderflow.fulfillment.payment.PaymentCommands.ConfirmAuthorizationCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.LedgerEntry;
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
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.axonframework.tracing.SpanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the straight path of the new orders of a batch in groups, each group's orders together, before the saga
 * sees them (ADR 0013).
 *
 * <p>The fulfillment processor hands its saga one event after another on one thread, and a saga step waits for
 * its participant's answer; one order at a time, a burst of orders would queue behind every payment call. So, once
 * per batch, before the first event is handled, this interceptor takes the batch's {@link OrderAcceptedEvent}s that
 * carry their delivery address and have no fulfillment yet, cuts them into groups, and takes each group along the
 * straight path in three transactions, at most {@code orderflow.fulfillment.groups} transactions at once: reserve the
 * stock and record it on the orders (or, out of stock, fail the order), with the inventory's rows of the whole
 * group locked first in SKU order ({@link InventoryLocks}); then, once the provider has answered for every order of
 * the group at once (on a pool of {@code orderflow.fulfillment.parallelism} calls, holding no database connection:
 * {@link PaymentAuthorization}), record the answers and the authorizations on the orders; then arrange the
 * shipments, record them (the point of no return), ship the reserved stock and complete the orders. These are the
 * saga's own commands, idempotent per order; each transaction commits before the next part starts, so a crash
 * anywhere repeats at most the current part. If a transaction fails (a conflict, a refusal, an error), nothing of it
 * is kept and the part runs again for each order with each command committed on its own, as the saga sends them
 * ({@link SagaCommands}); an order whose command then fails leaves the path.
 *
 * <p>The batch is cut into twice as many groups as may be in a transaction at once, and a group waiting for the
 * provider holds no turn: while some groups wait for their answers, the others reserve, record and ship, so a slow
 * provider lengthens each order's way, not the batch. Turns are handed out first come, first served, and every group
 * queues for its reservation at the start, so the reservations come first and the answers have the most time to
 * arrive before their groups' turns to record them.
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
    private final ObjectProvider<TransactionManager> transactions;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CrashPoints crashPoints;
    private final PaymentAuthorization payments;
    private final InventoryLocks inventoryLocks;
    /** How many groups a batch is cut into: twice as many as may be in a transaction at once. */
    private final int groupsPerBatch;
    private final Semaphore turns;
    private final ExecutorService groupPool;
    private final ExecutorService callPool;
    private final Duration timeout;
    private final SpanFactory spans;
    /** What Axon's own path copies from an event onto the commands it causes: its origin, and the client's id. */
    private final List<CorrelationDataProvider> correlation = List.of(new MessageOriginProvider(),
            new SimpleCorrelationDataProvider("clientTraceId"));

    /**
     * One order on its way, with the correlation data its commands carry and its acceptance, whose span context
     * (ADR 0045) parents the spans of its commands: the paths of a batch run on the pool's threads, and each order's
     * commands belong to that order's trace, not to the trace of the batch's first event.
     */
    private record Path(OrderAcceptedEvent order, MetaData metaData, EventMessage<?> accepted) {
        OrderId id() {
            return order.orderId();
        }
    }

    /** The gateway and transaction manager are looked up when first used: they are built from the Axon set-up. */
    public ParallelFulfillment(ObjectProvider<CommandGateway> commands, ObjectProvider<TransactionManager> transactions,
                               JdbcTemplate jdbc, Clock clock, CrashPoints crashPoints, PaymentAuthorization payments,
                               InventoryLocks inventoryLocks, SpanFactory spans,
                               FulfillmentProperties settings) {
        // At least 1 each: FulfillmentProperties is validated when it is bound.
        int groups = settings.groups();
        int parallelism = settings.parallelism();
        Duration timeout = settings.commandTimeout();
        this.commands = commands;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.clock = clock;
        this.crashPoints = crashPoints;
        this.payments = payments;
        this.inventoryLocks = inventoryLocks;
        this.spans = spans;
        this.groupsPerBatch = groups * 2;
        this.turns = new Semaphore(groups, true);
        this.timeout = timeout;
        this.groupPool = Executors.newFixedThreadPool(groupsPerBatch, daemonThreads("fulfillment-path-"));
        this.callPool = Executors.newFixedThreadPool(parallelism, daemonThreads("fulfillment-payment-"));
    }

    private static CustomizableThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
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
        List<Path> paths = new ArrayList<>();
        for (EventMessage<?> event : fresh.values()) {
            MetaData metaData = MetaData.emptyInstance();
            for (CorrelationDataProvider provider : correlation) {
                metaData = metaData.mergedWith(provider.correlationDataFor(event));
            }
            paths.add(new Path((OrderAcceptedEvent) event.getPayload(), metaData, event));
        }
        int groupSize = (paths.size() + groupsPerBatch - 1) / groupsPerBatch;
        List<Future<Set<OrderId>>> running = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += groupSize) {
            List<Path> group = paths.subList(from, Math.min(paths.size(), from + groupSize));
            running.add(groupPool.submit(() -> straightPath(group)));
        }
        Set<OrderId> ended = new HashSet<>();
        for (Future<Set<OrderId>> group : running) {
            try {
                ended.addAll(group.get());
            } catch (ExecutionException e) {
                log.warn("A group of orders left its straight path for the saga after {}", e.getCause().toString());
            }
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate("insert into fulfillment_run (order_id, started_at) values (?, ?) "
                + "on conflict (order_id) do nothing", ended.stream().map(id -> new Object[]{id.value(), now}).toList());
        log.debug("{} of {} new orders of the batch ended on their straight path; the saga takes the others",
                ended.size(), paths.size());
    }

    /** Where an order stands after a part of its path: ended, going on, or left to the saga. */
    private enum Outcome { ENDED, GOES_ON, LEFT }

    /**
     * The orders of the group that ended (completed, or failed for want of stock); the saga takes the others. The
     * path is three transactions for the whole group: the reservations and their record on the orders; after the
     * provider answered, the payments' record; and the shipments, the stock shipped and the orders completed.
     */
    private Set<OrderId> straightPath(List<Path> group) throws InterruptedException {
        Map<Path, Outcome> reserved = inTurn(() -> together(group, this::reserve,
                paths -> inventoryLocks.lockForReserving(paths.stream().flatMap(path -> stockLines(path).stream())
                        .toList())));
        Set<OrderId> ended = endedIn(reserved);
        List<Path> live = goingOn(reserved);
        if (live.isEmpty()) {
            return ended;
        }
        crashPoints.reach(CrashPoints.AFTER_STOCK_RESERVED);

        Map<Path, PaymentAuthorization.Answered> answered = new LinkedHashMap<>();
        Map<Path, PaymentResult> decided = new LinkedHashMap<>();
        ask(live, answered, decided);
        List<Path> paying = new ArrayList<>(decided.keySet());
        paying.addAll(answered.keySet());
        live = goingOn(inTurn(() -> together(paying, paths -> recordPayments(paths, answered, decided), null)));
        if (live.isEmpty()) {
            return ended;
        }
        crashPoints.reach(CrashPoints.BEFORE_SHIPMENT);

        List<Path> shipping = live;
        ended.addAll(endedIn(inTurn(() -> together(shipping, this::ship,
                paths -> inventoryLocks.lockForSettling(paths.stream().map(Path::id).toList())))));
        return ended;
    }

    /** Runs a part of a group's path once it has a turn: at most {@code orderflow.fulfillment.groups} at once. */
    private <T> T inTurn(Supplier<T> part) throws InterruptedException {
        turns.acquire();
        try {
            return part.get();
        } finally {
            turns.release();
        }
    }

    /** Reserves the orders' stock; fails an order out of stock (it ended), records the others' reservation. */
    private Map<Path, Outcome> reserve(List<Path> paths) {
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        for (Path path : paths) {
            ReservationResult reservation = send(new ReserveStockCommand(path.id(), stockLines(path)), path);
            // SHIPPED: the path ran this far before (the batch was read again after a failure) and goes on.
            if (reservation.state() == ReservationState.REJECTED) {
                outcomes.put(path, goesOn(send(new FailOrderCommand(path.id(), FailureReason.OUT_OF_STOCK), path))
                        ? Outcome.ENDED : Outcome.LEFT);
            } else if (reservation.state() == ReservationState.RESERVED
                    || reservation.state() == ReservationState.SHIPPED) {
                outcomes.put(path, goesOn(send(new RecordStockReservedCommand(path.id()), path))
                        ? Outcome.GOES_ON : Outcome.LEFT);
            } else {
                outcomes.put(path, Outcome.LEFT);
            }
        }
        return outcomes;
    }

    /**
     * Asks the provider for every order at once (bounded by the call pool), holding no transaction. An order whose
     * asking failed leaves the path.
     */
    private void ask(List<Path> paths, Map<Path, PaymentAuthorization.Answered> answered,
                     Map<Path, PaymentResult> decided) throws InterruptedException {
        Map<Path, Future<Asked>> asking = new LinkedHashMap<>();
        for (Path path : paths) {
            asking.put(path, callPool.submit(() -> spans.createChildHandlerSpan(
                    () -> "ParallelFulfillment.askPayment", path.accepted()).runCallable(() -> payments.ask(path.id(),
                    Money.of(path.order().totalAmount().toPlainString(), path.order().currency()), 1))));
        }
        for (Map.Entry<Path, Future<Asked>> entry : asking.entrySet()) {
            try {
                Asked asked = entry.getValue().get();
                if (asked instanceof Recorded recorded) {
                    decided.put(entry.getKey(), recorded.result());
                } else if (asked instanceof Answered answer) {
                    answered.put(entry.getKey(), answer);
                }
            } catch (ExecutionException e) {
                log.debug("Order {}: left to the saga after {}", entry.getKey().id(), e.getCause().toString());
            }
        }
    }

    /**
     * Records what the provider answered, and on the order that its payment is authorized, for the amount the
     * payment ledger records (which the order checks against its total).
     */
    private Map<Path, Outcome> recordPayments(List<Path> paths, Map<Path, PaymentAuthorization.Answered> answered,
                                              Map<Path, PaymentResult> decided) {
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        for (Path path : paths) {
            PaymentResult payment = answered.containsKey(path) ? send(answered.get(path).record(), path)
                    : decided.get(path);
            outcomes.put(path, payment != null && payment.state() == PaymentState.AUTHORIZED
                    && authorizationRecorded(path) ? Outcome.GOES_ON : Outcome.LEFT);
        }
        return outcomes;
    }

    private boolean authorizationRecorded(Path path) {
        LedgerEntry ledger = send(new ConfirmAuthorizationCommand(path.id()), path);
        return ledger.authorizedOnce()
                && goesOn(send(new RecordPaymentAuthorizedCommand(path.id(), ledger.authorized()), path));
    }

    /** Arranges the shipments and records them (the point of no return), ships the stock, completes the orders. */
    private Map<Path, Outcome> ship(List<Path> paths) {
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        for (Path path : paths) {
            if (path.order().deliveryAddress().isErased()) {
                // The customer was erased while the order was on its way: the saga fails it and undoes the rest.
                outcomes.put(path, Outcome.LEFT);
                continue;
            }
            ShipmentResult shipment = send(new ArrangeShipmentCommand(path.id(), path.order().customerId(),
                    path.order().deliveryAddress()),
                    path);
            if (shipment.state() != ShipmentState.ARRANGED
                    || !goesOn(send(new RecordShipmentArrangedCommand(path.id()), path))) {
                outcomes.put(path, Outcome.LEFT);
                continue;
            }
            send(new ShipReservedStockCommand(path.id()), path);
            outcomes.put(path, goesOn(send(new CompleteOrderCommand(path.id()), path)) ? Outcome.ENDED
                    : Outcome.LEFT);
        }
        return outcomes;
    }

    /**
     * Runs {@code part} for all the orders in one transaction (after {@code first}, if given, in the same
     * transaction). If that transaction fails, nothing of it is kept and {@code part} runs for each order on its
     * own, outside any transaction, so that each of its commands commits on its own, as the saga sends them; an
     * order whose part then fails is left to the saga.
     */
    private Map<Path, Outcome> together(List<Path> paths, Function<List<Path>, Map<Path, Outcome>> part,
                                        java.util.function.Consumer<List<Path>> first) {
        if (paths.isEmpty()) {
            return Map.of();
        }
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(transactions.getObject());
        ResultMessage<Map<Path, Outcome>> result = unitOfWork.executeWithResult(() -> {
            if (first != null) {
                first.accept(paths);
            }
            return part.apply(paths);
        });
        if (!result.isExceptional()) {
            return result.getPayload();
        }
        log.debug("{} orders failed together ({}); each goes on its own", paths.size(),
                result.exceptionResult().toString());
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        for (Path path : paths) {
            try {
                outcomes.putAll(part.apply(List.of(path)));
            } catch (RuntimeException e) {
                log.debug("Order {}: left to the saga after {}", path.id(), e.toString());
                outcomes.put(path, Outcome.LEFT);
            }
        }
        return outcomes;
    }

    private static List<StockLine> stockLines(Path path) {
        return path.order().lines().stream().map(line -> new StockLine(line.sku(), line.quantity())).toList();
    }

    private static Set<OrderId> endedIn(Map<Path, Outcome> outcomes) {
        Set<OrderId> ended = new HashSet<>();
        outcomes.forEach((path, outcome) -> {
            if (outcome == Outcome.ENDED) {
                ended.add(path.id());
            }
        });
        return ended;
    }

    private static List<Path> goingOn(Map<Path, Outcome> outcomes) {
        List<Path> live = new ArrayList<>();
        outcomes.forEach((path, outcome) -> {
            if (outcome == Outcome.GOES_ON) {
                live.add(path);
            }
        });
        return live;
    }

    private static boolean goesOn(OrderWriteResult written) {
        return written != null && written.status() != OrderStatus.CANCELLED;
    }

    private <R> R send(Object command, Path path) {
        return spans.createChildHandlerSpan(() -> "ParallelFulfillment.send(" + command.getClass().getSimpleName()
                + ")", path.accepted()).runSupplier(() -> commands.getObject().sendAndWait(
                GenericCommandMessage.asCommandMessage(command).andMetaData(path.metaData()), timeout.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    @Override
    public void destroy() {
        groupPool.shutdownNow();
        callPool.shutdownNow();
    }
}
