package io.orderflow.billing.invoice;

import io.orderflow.billing.address.BillingAddresses;
import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.BillingState;
import io.orderflow.billing.api.BillingMessages.DocumentKind;
import io.orderflow.billing.api.BillingMessages.OrderBilling;
import io.orderflow.billing.api.CreditNoteIssuedEvent;
import io.orderflow.billing.api.InvoiceIssuedEvent;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.Sku;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The billing processor's handlers on a real PostgreSQL, each call in a transaction as the processor runs it: the
 * invoice is addressed with the order's own profile version, waits for a version still in transit, is issued once
 * however often its events arrive, is reversed by a credit note when the order ends after it, and the numbers have
 * no gaps and no repeats per series and year, also when transactions run concurrently and some roll back.
 */
class BillingIT {

    private static final PostalAddress BERLIN = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    private static final PostalAddress PARIS = new PostalAddress("Rue de Rivoli 2", "Paris", "75001", "FR");
    private static final PostalAddress ROME = new PostalAddress("Via del Corso 3", "Roma", "00186", "IT");
    private static final Instant IN_2026 = Instant.parse("2026-12-31T23:59:00Z");
    private static final Instant IN_2027 = Instant.parse("2027-01-01T00:01:00Z");

    @TempDir
    static Path dir;
    private static EmbeddedPostgresServer postgres;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;

    private final EventGateway events = mock(EventGateway.class);
    private BillingDocuments documents;
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
        jdbc.execute(new ClassPathResource("db/migration/V6000__billing.sql").getContentAsString(
                StandardCharsets.UTF_8));
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    @BeforeEach
    void setUp() {
        jdbc.update("truncate billing_document, billing_number_series, billing_order, billing_address, "
                + "billing_address_version");
        documents = new BillingDocuments(jdbc);
        customer = new CustomerId(UUID.randomUUID());
    }

    @Test
    void givenAPaidOrder_thenItIsInvoicedWithTheBillingAddressOfItsOwnVersion_once() {
        Invoicing invoicing = invoicing(IN_2026);
        run(() -> invoicing.on(billing(BERLIN, 0)));
        run(() -> invoicing.on(billing(PARIS, 1)));
        OrderId order = newOrder();

        run(() -> invoicing.on(accepted(order, 0L)));
        run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(order)));
        // Redelivered, in any order: nothing new.
        run(() -> invoicing.on(accepted(order, 0L)));
        run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(order)));
        run(() -> invoicing.on(billing(BERLIN, 0)));

        OrderBilling billing = documents.billingOf(order).orElseThrow();
        assertThat(billing.state()).isEqualTo(BillingState.INVOICED);
        assertThat(billing.documents()).singleElement().satisfies(invoice -> {
            assertThat(invoice.number()).isEqualTo("INV-2026-000001");
            assertThat(invoice.kind()).isEqualTo(DocumentKind.INVOICE);
            assertThat(invoice.billingAddress()).isEqualTo(BERLIN);
            assertThat(invoice.addressVersion()).isEqualTo(0L);
            assertThat(invoice.total()).isEqualByComparingTo("23.00");
            assertThat(invoice.lines()).hasSize(2);
        });
        ArgumentCaptor<Object> published = ArgumentCaptor.forClass(Object.class);
        verify(events, times(1)).publish(published.capture());
        assertThat(published.getValue()).isInstanceOfSatisfying(InvoiceIssuedEvent.class, event -> {
            assertThat(event.number()).isEqualTo("INV-2026-000001");
            assertThat(event.billingAddress()).isEqualTo(BERLIN);
        });
    }

    @Test
    void givenTheOrdersVersionIsStillInTransit_thenTheInvoiceWaitsForIt_andIsIssuedWhenItArrives() {
        Invoicing invoicing = invoicing(IN_2026);
        run(() -> invoicing.on(billing(BERLIN, 0)));
        OrderId order = newOrder();
        run(() -> invoicing.on(accepted(order, 2L)));
        run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(order)));

        OrderBilling waiting = documents.billingOf(order).orElseThrow();
        assertThat(waiting.state()).isEqualTo(BillingState.AWAITING_BILLING_ADDRESS);
        assertThat(waiting.awaitedAddressVersion()).isEqualTo(2L);
        assertThat(waiting.documents()).isEmpty();

        run(() -> invoicing.on(billing(PARIS, 1)));
        assertThat(documents.billingOf(order).orElseThrow().documents()).isEmpty();
        run(() -> invoicing.on(billing(ROME, 2)));

        OrderBilling invoiced = documents.billingOf(order).orElseThrow();
        assertThat(invoiced.state()).isEqualTo(BillingState.INVOICED);
        assertThat(invoiced.documents()).singleElement()
                .satisfies(invoice -> assertThat(invoice.billingAddress()).isEqualTo(ROME));
    }

    @Test
    void anOrderWithADeliveryAddressSnapshotIsBilledToTheNewestBillingAddressKnown_elseToItsDeliveryAddress() {
        Invoicing invoicing = invoicing(IN_2026);
        OrderId unknownCustomer = newOrder();
        run(() -> invoicing.on(accepted(unknownCustomer, null)));
        run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(unknownCustomer)));

        run(() -> invoicing.on(billing(PARIS, 2)));
        run(() -> invoicing.on(billing(ROME, 3)));
        OrderId knownCustomer = newOrder();
        run(() -> invoicing.on(accepted(knownCustomer, null)));
        run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(knownCustomer)));

        assertThat(documents.invoiceOf(unknownCustomer).orElseThrow()).satisfies(invoice -> {
            assertThat(invoice.billingAddress()).isEqualTo(BERLIN);
            assertThat(invoice.addressVersion()).isNull();
        });
        assertThat(documents.invoiceOf(knownCustomer).orElseThrow()).satisfies(invoice -> {
            assertThat(invoice.billingAddress()).isEqualTo(ROME);
            assertThat(invoice.addressVersion()).isEqualTo(3L);
        });
    }

    @Test
    void anInvoicedOrderThatIsCancelledGetsOneCreditNote_andOneEndedBeforePaymentGetsNothing() {
        Invoicing invoicing = invoicing(IN_2026);
        run(() -> invoicing.on(billing(BERLIN, 0)));
        OrderId invoiced = newOrder();
        OrderId unpaid = newOrder();
        run(() -> invoicing.on(accepted(invoiced, 0L)));
        run(() -> invoicing.on(accepted(unpaid, 0L)));
        run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(invoiced)));

        run(() -> invoicing.on(new OrderCancelledEvent(invoiced, "changed my mind")));
        run(() -> invoicing.on(new OrderCancelledEvent(invoiced, "changed my mind")));
        run(() -> invoicing.on(new OrderFailedEvent(unpaid, FailureReason.OUT_OF_STOCK)));

        OrderBilling credited = documents.billingOf(invoiced).orElseThrow();
        assertThat(credited.state()).isEqualTo(BillingState.CREDITED);
        assertThat(credited.documents()).extracting(BillingDocument::number)
                .containsExactly("INV-2026-000001", "CRN-2026-000001");
        BillingDocument note = credited.documents().get(1);
        assertThat(note.refersTo()).isEqualTo("INV-2026-000001");
        assertThat(note.reason()).isEqualTo("order cancelled: changed my mind");
        assertThat(note.total()).isEqualByComparingTo("23.00");
        verify(events, times(1)).publish(any(CreditNoteIssuedEvent.class));

        OrderBilling nothing = documents.billingOf(unpaid).orElseThrow();
        assertThat(nothing.state()).isEqualTo(BillingState.NOT_INVOICED);
        assertThat(nothing.documents()).isEmpty();
    }

    @Test
    void aPaymentForAnOrderBillingNeverSawAcceptedStopsTheProcessor_ratherThanSkipAnInvoice() {
        Invoicing invoicing = invoicing(IN_2026);
        OrderId order = newOrder();

        assertThatThrownBy(() -> run(() -> invoicing.on(new OrderPaymentAuthorizedEvent(order))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never saw it accepted");
        verify(events, never()).publish(any(Object.class));
    }

    @Test
    void numbersStartAgainEachYear() {
        run(() -> invoicing(IN_2026).on(billing(BERLIN, 0)));
        OrderId december = newOrder();
        OrderId january = newOrder();
        run(() -> invoicing(IN_2026).on(accepted(december, 0L)));
        run(() -> invoicing(IN_2026).on(accepted(january, 0L)));
        run(() -> invoicing(IN_2026).on(new OrderPaymentAuthorizedEvent(december)));
        run(() -> invoicing(IN_2027).on(new OrderPaymentAuthorizedEvent(january)));

        assertThat(documents.invoiceOf(december).orElseThrow().number()).isEqualTo("INV-2026-000001");
        assertThat(documents.invoiceOf(january).orElseThrow().number()).isEqualTo("INV-2027-000001");
    }

    @Test
    void concurrentInvoicesWithRollbacksGetGaplessUniqueNumbers() throws Exception {
        Invoicing invoicing = new Invoicing(documents, new BillingAddresses(jdbc, Clock.systemUTC()),
                new DocumentNumbers(jdbc), events, Clock.systemUTC(), ZoneOffset.UTC);
        run(() -> invoicing.on(billing(BERLIN, 0)));
        int threads = 8;
        int ordersPerThread = 40;
        AtomicInteger rolledBack = new AtomicInteger();
        List<OrderId> orders = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<OrderId>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    List<OrderId> mine = new ArrayList<>();
                    for (int i = 0; i < ordersPerThread; i++) {
                        OrderId order = newOrder();
                        mine.add(order);
                        run(() -> invoicing.on(accepted(order, 0L)));
                        boolean done = false;
                        while (!done) {
                            boolean crash = ThreadLocalRandom.current().nextInt(5) == 0;
                            try {
                                run(() -> {
                                    invoicing.on(new OrderPaymentAuthorizedEvent(order));
                                    if (crash) {
                                        throw new IllegalStateException("the transaction dies after the number");
                                    }
                                });
                                done = true;
                            } catch (IllegalStateException died) {
                                rolledBack.incrementAndGet();
                            }
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<OrderId>> future : work) {
                orders.addAll(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<Integer> sequences = jdbc.queryForList("select sequence from billing_document where series = 'INV' "
                + "order by sequence", Integer.class);
        int invoiced = threads * ordersPerThread;
        assertThat(rolledBack.get()).as("transactions rolled back after taking a number").isPositive();
        assertThat(sequences).as("numbers 1..%d, each once", invoiced)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, invoiced).boxed().toList());
        assertThat(orders).allSatisfy(order -> assertThat(documents.invoiceOf(order)).isPresent());
        System.out.printf("%n=== Invoice numbers under concurrency: %d invoices from %d threads, %d transactions "
                + "rolled back after taking a number; numbers 1..%d gapless, none twice ===%n", invoiced, threads,
                rolledBack.get(), sequences.get(sequences.size() - 1));
    }

    private Invoicing invoicing(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new Invoicing(documents, new BillingAddresses(jdbc, clock), new DocumentNumbers(jdbc), events, clock,
                ZoneId.of("UTC"));
    }

    private static void run(Runnable handler) {
        transactions.executeWithoutResult(status -> handler.run());
    }

    private static OrderId newOrder() {
        return new OrderId(UUID.randomUUID());
    }

    private BillingAddressChangedEvent billing(PostalAddress address, long version) {
        return new BillingAddressChangedEvent(customer, address, version);
    }

    private OrderAcceptedEvent accepted(OrderId order, Long addressVersion) {
        List<OrderLine> lines = List.of(
                new OrderLine(new Sku("BEANS-1"), "Coffee beans", 2, new BigDecimal("9.00"), new BigDecimal("18.00")),
                new OrderLine(new Sku("MUG-1"), "Mug", 1, new BigDecimal("5.00"), new BigDecimal("5.00")));
        return new OrderAcceptedEvent(order, customer, lines, new BigDecimal("23.00"), "EUR",
                addressVersion == null ? BERLIN : null, addressVersion, Instant.parse("2026-12-01T10:00:00Z"), 2);
    }
}
