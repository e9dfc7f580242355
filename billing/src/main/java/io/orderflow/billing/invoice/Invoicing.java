package io.orderflow.billing.invoice;

import io.orderflow.billing.address.BillingAddresses;
import io.orderflow.billing.address.BillingAddresses.VersionedAddress;
import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.BillingState;
import io.orderflow.billing.api.BillingMessages.DocumentKind;
import io.orderflow.billing.api.BillingProcessors;
import io.orderflow.billing.api.CreditNoteIssuedEvent;
import io.orderflow.billing.api.InvoiceIssuedEvent;
import io.orderflow.billing.invoice.BillingDocuments.BilledOrder;
import io.orderflow.billing.settings.BillingProperties;
import io.orderflow.customer.api.BillingAddressChangedEvent;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The billing processor's handlers (ADR 0024). From the order's events on {@code orderflow.order-events}: an
 * accepted order is noted; when its payment is authorized it is invoiced, addressed with the billing address of
 * the order's profile version, or waits until that version reaches billing; when an invoiced order is then cancelled
 * or fails (its payment voided), a credit note reverses the invoice. From {@code orderflow.billing-address-changed}:
 * each version is stored and the orders waiting for it are invoiced.
 *
 * <p>Each handler runs in the processor's transaction, which also stores the Kafka position: a document, its number,
 * its event and the position commit together or not at all. The order's row lock and the document's unique
 * {@code (order, kind)} make a redelivered event a no-op, so an order is never invoiced twice.
 */
@Component
@ProcessingGroup(BillingProcessors.BILLING)
class Invoicing {

    static final String INVOICE_SERIES = "INV";
    static final String CREDIT_NOTE_SERIES = "CRN";
    private static final Logger log = LoggerFactory.getLogger(Invoicing.class);

    private final BillingDocuments documents;
    private final BillingAddresses addresses;
    private final DocumentNumbers numbers;
    private final EventGateway events;
    private final Clock clock;
    private final ZoneId zone;

    @Autowired
    Invoicing(BillingDocuments documents, BillingAddresses addresses, DocumentNumbers numbers, EventGateway events,
              Clock clock, BillingProperties settings) {
        this(documents, addresses, numbers, events, clock, settings.zone());
    }

    Invoicing(BillingDocuments documents, BillingAddresses addresses, DocumentNumbers numbers, EventGateway events,
              Clock clock, ZoneId zone) {
        this.documents = documents;
        this.addresses = addresses;
        this.numbers = numbers;
        this.events = events;
        this.clock = clock;
        this.zone = zone;
    }

    @EventHandler
    void on(OrderAcceptedEvent event) {
        documents.addOrder(new BilledOrder(event.orderId(), event.customerId(), event.addressVersion(),
                event.addressVersion() == null ? event.deliveryAddress() : null, event.lines(), event.totalAmount(), event.currency(), BillingState.NOT_DUE), clock.instant());
    }

    @EventHandler
    void on(OrderPaymentAuthorizedEvent event) {
        Optional<BilledOrder> known = documents.lockOrder(event.orderId());
        if (known.isEmpty()) {
            // Acceptance comes first on the order's partition; without it there is nothing to put on an invoice.
            throw new IllegalStateException("order " + event.orderId() + " was paid but billing never saw it "
                    + "accepted; billing stops here rather than skip an invoice");
        }
        BilledOrder order = known.get();
        if (order.state() != BillingState.NOT_DUE) {
            return;
        }
        Optional<VersionedAddress> address = addressFor(order);
        if (address.isPresent()) {
            invoice(order, address.get());
        } else {
            documents.changeState(order.orderId(), BillingState.AWAITING_BILLING_ADDRESS, clock.instant());
            log.info("Order {}: paid; its invoice waits for customer {}'s billing address (version {})",
                    order.orderId(), order.customerId(), order.addressVersion());
        }
    }

    @EventHandler
    void on(OrderCancelledEvent event) {
        ended(event.orderId(), "order cancelled: " + event.reason());
    }

    @EventHandler
    void on(OrderFailedEvent event) {
        ended(event.orderId(), "order failed: " + event.reason());
    }

    @EventHandler
    void on(BillingAddressChangedEvent event) {
        addresses.store(event.customerId(), event.version(), event.address());
        if (event.address().isErased()) {
            // The customer was erased: the router sends their erased address at the erasure's version.
            int rows = addresses.erase(event.customerId()) + documents.eraseAddresses(event.customerId());
            log.info("Customer {} erased: {} billing address(es), order and document address(es) erased",
                    event.customerId(), rows);
        }
        for (BilledOrder waiting : documents.lockAwaiting(event.customerId())) {
            addressFor(waiting).ifPresent(address -> invoice(waiting, address));
        }
    }

    /**
     * The billing address of the order's profile version (ADR 0024); for an order that named no version and carried
     * its delivery address instead, the newest billing address billing knows, or else that delivery address.
     */
    private Optional<VersionedAddress> addressFor(BilledOrder order) {
        Optional<VersionedAddress> billing = addresses.forOrder(order.customerId(), order.addressVersion());
        if (billing.isEmpty() && order.addressVersion() == null && order.deliveryAddress() != null) {
            return Optional.of(new VersionedAddress(order.deliveryAddress(), null));
        }
        return billing;
    }

    /** The order was cancelled or failed: an invoice is reversed, a pending one is never issued. */
    private void ended(OrderId orderId, String reason) {
        Optional<BilledOrder> known = documents.lockOrder(orderId);
        if (known.isEmpty()) {
            return;
        }
        switch (known.get().state()) {
            case INVOICED -> creditNote(known.get(), reason);
            case NOT_DUE, AWAITING_BILLING_ADDRESS ->
                    documents.changeState(orderId, BillingState.NOT_INVOICED, clock.instant());
            case CREDITED, NOT_INVOICED -> {
                // Already settled: a repeated delivery.
            }
        }
    }

    private void invoice(BilledOrder order, VersionedAddress address) {
        Instant now = clock.instant();
        DocumentNumbers.Number number = numbers.next(INVOICE_SERIES, now.atZone(zone).getYear());
        BillingDocument invoice = new BillingDocument(number.text(), DocumentKind.INVOICE, order.orderId(),
                order.customerId(), now, address.address(), address.version(), order.lines(), order.total(),
                order.currency(), null, null);
        documents.add(invoice, number);
        documents.changeState(order.orderId(), BillingState.INVOICED, now);
        events.publish(new InvoiceIssuedEvent(order.orderId(), order.customerId(), invoice.number(), now,
                address.address(), address.version(), order.lines(), order.total(), order.currency()));
        // One per paid order: DEBUG, like the saga's steps; the document and its event are the record.
        log.debug("Order {}: invoice {} issued ({} {}, billing address version {})", order.orderId(),
                invoice.number(), order.total().toPlainString(), order.currency(), address.version());
    }

    private void creditNote(BilledOrder order, String reason) {
        BillingDocument invoice = documents.invoiceOf(order.orderId()).orElseThrow(() ->
                new IllegalStateException("order " + order.orderId() + " is invoiced but has no invoice"));
        Instant now = clock.instant();
        DocumentNumbers.Number number = numbers.next(CREDIT_NOTE_SERIES, now.atZone(zone).getYear());
        BillingDocument note = new BillingDocument(number.text(), DocumentKind.CREDIT_NOTE, order.orderId(),
                order.customerId(), now, invoice.billingAddress(), invoice.addressVersion(), invoice.lines(),
                invoice.total(), invoice.currency(), invoice.number(), reason);
        documents.add(note, number);
        documents.changeState(order.orderId(), BillingState.CREDITED, now);
        events.publish(new CreditNoteIssuedEvent(order.orderId(), order.customerId(), note.number(),
                invoice.number(), now, invoice.total(), invoice.currency(), reason));
        log.info("Order {}: credit note {} reverses invoice {} ({})", order.orderId(), note.number(),
                invoice.number(), reason);
    }
}
