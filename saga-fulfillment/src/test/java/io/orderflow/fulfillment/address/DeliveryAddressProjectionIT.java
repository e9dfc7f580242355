package io.orderflow.fulfillment.address;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.customer.api.ShippingAddressChangedEvent;
import io.orderflow.fulfillment.api.DeliveryAddressReadyEvent;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import io.orderflow.order.api.OrderId;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;

/**
 * The local delivery-address projection and the saga's wait on it, on a real PostgreSQL: an older or repeated
 * version never overwrites a newer one, a billing change still raises the version, and a wait registered under the
 * customer's row lock is either answered at once or announced by the projection, never missed.
 */
class DeliveryAddressProjectionIT {

    private static final PostalAddress BERLIN = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    private static final PostalAddress PARIS = new PostalAddress("Rue de Rivoli 2", "Paris", "75001", "FR");
    private static final PostalAddress ROME = new PostalAddress("Via del Corso 3", "Roma", "00186", "IT");

    @TempDir
    static Path dir;
    private static EmbeddedPostgresServer postgres;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;

    private final EventGateway events = mock(EventGateway.class);
    private DeliveryAddressProjection projection;
    private DeliveryAddresses addresses;
    private CustomerId customer;

    @BeforeAll
    static void startDatabase() throws IOException {
        postgres = new EmbeddedPostgresServer(dir.resolve("postgres"), 0);
        postgres.start();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(new ClassPathResource("db/migration/V7__fulfillment.sql").getContentAsString(
                StandardCharsets.UTF_8));
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    @BeforeEach
    void setUp() {
        reset(events);
        projection = new DeliveryAddressProjection(jdbc, events, Clock.systemUTC());
        addresses = new DeliveryAddresses(jdbc, Clock.systemUTC());
        customer = new CustomerId(UUID.randomUUID());
    }

    @Test
    void givenVersionTwo_whenAnOlderOrTheSameVersionArrivesLate_thenTheNewerAddressStays() {
        projection.on(registered(BERLIN));
        projection.on(shippingChanged(PARIS, 2));

        projection.on(shippingChanged(ROME, 1));
        projection.on(shippingChanged(ROME, 2));
        projection.on(registered(ROME));

        assertThat(stored()).isEqualTo("Paris@2");
    }

    @Test
    void givenTwoChangesDeliveredInReverseOrder_thenTheNewerOneWins() {
        projection.on(registered(BERLIN));
        projection.on(shippingChanged(ROME, 2));
        projection.on(shippingChanged(PARIS, 1));

        assertThat(stored()).isEqualTo("Roma@2");
    }

    @Test
    void aVersionMadeByABillingChangeRaisesTheVersionAndKeepsTheShippingAddress() {
        projection.on(registered(BERLIN));
        // The router sends the unchanged shipping address with the version a billing change made (ADR 0023).
        projection.on(new ShippingAddressChangedEvent(customerId(), BERLIN, 1));

        assertThat(stored()).isEqualTo("Berlin@1");
    }

    @Test
    void givenTheVersionIsKnown_thenTheSagaGetsTheAddressAndWaitsForNothing() {
        projection.on(registered(BERLIN));
        OrderId order = new OrderId(UUID.randomUUID());

        Optional<PostalAddress> address = inTransaction(() -> addresses.addressAtOrAwait(order, customer, 0));

        assertThat(address).map(PostalAddress::city).contains("Berlin");
        assertThat(waits(order)).isZero();
    }

    @Test
    void givenTheVersionIsNotKnown_thenTheWaitIsAnnouncedWhenTheVersionArrives_andOnlyThen() {
        OrderId order = new OrderId(UUID.randomUUID());
        OrderId laterOrder = new OrderId(UUID.randomUUID());
        assertThat(inTransaction(() -> addresses.addressAtOrAwait(order, customer, 1))).isEmpty();
        assertThat(inTransaction(() -> addresses.addressAtOrAwait(laterOrder, customer, 3))).isEmpty();

        projection.on(registered(BERLIN));
        verify(events, never()).publish(any(Object.class));

        projection.on(shippingChanged(PARIS, 1));

        verify(events).publish(new DeliveryAddressReadyEvent(order, customer, 1,
                new PostalAddress("Rue de Rivoli 2", "Paris", "75001", "FR")));
        assertThat(waits(order)).isZero();
        assertThat(waits(laterOrder)).as("an order waiting for a later version still waits").isOne();
    }

    @Test
    void aVersionAppliedWhileASagaRegistersItsWaitIsNeverMissed() throws Exception {
        OrderId order = new OrderId(UUID.randomUUID());
        CountDownLatch waitRegistered = new CountDownLatch(1);
        CountDownLatch applyStarted = new CountDownLatch(1);
        // The saga asks and registers its wait, and keeps its transaction open while the projection applies the
        // version it waits for.
        CompletableFuture<Optional<PostalAddress>> saga = CompletableFuture.supplyAsync(() -> inTransaction(() -> {
            Optional<PostalAddress> answer = addresses.addressAtOrAwait(order, customer, 0);
            waitRegistered.countDown();
            await(applyStarted);
            sleep(300);
            return answer;
        }));
        await(waitRegistered);
        CompletableFuture<Long> apply = CompletableFuture.supplyAsync(() -> {
            applyStarted.countDown();
            long started = System.nanoTime();
            inTransaction(() -> {
                projection.on(registered(BERLIN));
                return null;
            });
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        });

        assertThat(saga.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(apply.get(10, TimeUnit.SECONDS)).as("the projection waited for the saga's lock")
                .isGreaterThanOrEqualTo(250);
        verify(events).publish(new DeliveryAddressReadyEvent(order, customer, 0,
                new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE")));
        assertThat(waits(order)).isZero();
    }

    /** The shipping address of a registration (profile version 0), as the router sends it. */
    private ShippingAddressChangedEvent registered(PostalAddress shipping) {
        return new ShippingAddressChangedEvent(customerId(), shipping, 0);
    }

    private ShippingAddressChangedEvent shippingChanged(PostalAddress address, long version) {
        return new ShippingAddressChangedEvent(customerId(), address, version);
    }

    private io.orderflow.customer.api.CustomerId customerId() {
        return new io.orderflow.customer.api.CustomerId(customer.value());
    }

    private String stored() {
        return jdbc.queryForObject("select city || '@' || version from delivery_address where customer_id = ?",
                String.class, customer.value());
    }

    private long waits(OrderId order) {
        return jdbc.queryForObject("select count(*) from delivery_address_wait where order_id = ?", Long.class,
                order.value());
    }

    private static <T> T inTransaction(java.util.function.Supplier<T> work) {
        return transactions.execute(status -> work.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
