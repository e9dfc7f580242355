package io.orderflow.billing.invoice;

import io.orderflow.values.PersonalData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.billing.api.BillingMessages.BillingDocument;
import io.orderflow.billing.api.BillingMessages.BillingState;
import io.orderflow.billing.api.BillingMessages.DocumentKind;
import io.orderflow.billing.api.BillingMessages.OrderBilling;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The billing tables as the handlers and the queries use them: billing's orders, and the documents issued. */
@Component
class BillingDocuments {

    private static final TypeReference<List<OrderLine>> LINES = new TypeReference<>() {
    };
    private static final String DOCUMENT_COLUMNS = "number, kind, order_id, customer_id, issued_at, street, city, "
            + "postal_code, country, address_version, lines, total, currency, refers_to, reason";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    BillingDocuments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What billing keeps of an order it may invoice. */
    record BilledOrder(OrderId orderId, CustomerId customerId, Long addressVersion, PostalAddress deliveryAddress,
                       List<OrderLine> lines, java.math.BigDecimal total, String currency, BillingState state) {
    }

    /** Records an accepted order; answers false if it was known already (a repeated delivery). */
    boolean addOrder(BilledOrder order, java.time.Instant now) {
        PostalAddress delivery = order.deliveryAddress();
        return jdbc.update("insert into billing_order (order_id, customer_id, address_version, delivery_street, "
                        + "delivery_city, delivery_postal_code, delivery_country, lines, total, currency, state, "
                        + "updated_at) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) "
                        + "on conflict (order_id) do nothing", order.orderId().value(), order.customerId().value(),
                order.addressVersion(), delivery == null ? null : delivery.street(),
                delivery == null ? null : delivery.city(), delivery == null ? null : delivery.postalCode(),
                delivery == null ? null : delivery.country(), write(order.lines()), order.total(), order.currency(),
                order.state().name(), Timestamp.from(now)) == 1;
    }

    /** The order, locked until the transaction ends, so that its state changes one event at a time. */
    Optional<BilledOrder> lockOrder(OrderId orderId) {
        return jdbc.query("select order_id, customer_id, address_version, lines, total, currency, state, delivery_street, "
                + "delivery_city, delivery_postal_code, delivery_country "
                + "from billing_order where order_id = ? for update", (row, i) -> readOrder(row), orderId.value())
                .stream().findFirst();
    }

    /** The orders of a customer that wait for a billing address, oldest first, locked. */
    List<BilledOrder> lockAwaiting(CustomerId customerId) {
        return jdbc.query("select order_id, customer_id, address_version, lines, total, currency, state, delivery_street, "
                + "delivery_city, delivery_postal_code, delivery_country "
                        + "from billing_order where customer_id = ? and state = 'AWAITING_BILLING_ADDRESS' "
                        + "order by updated_at, order_id for update", (row, i) -> readOrder(row),
                customerId.value());
    }

    void changeState(OrderId orderId, BillingState state, java.time.Instant now) {
        jdbc.update("update billing_order set state = ?, updated_at = ? where order_id = ?", state.name(),
                Timestamp.from(now), orderId.value());
    }

    void add(BillingDocument document, DocumentNumbers.Number number) {
        PostalAddress address = document.billingAddress();
        jdbc.update("insert into billing_document (" + DOCUMENT_COLUMNS + ", series, year, sequence) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)",
                document.number(), document.kind().name(), document.orderId().value(),
                document.customerId().value(), Timestamp.from(document.issuedAt()), address.street(),
                address.city(), address.postalCode(), address.country(), document.addressVersion(),
                write(document.lines()), document.total(), document.currency(), document.refersTo(),
                document.reason(), number.series(), number.year(), number.sequence());
    }

    Optional<BillingDocument> document(String number) {
        return jdbc.query("select " + DOCUMENT_COLUMNS + " from billing_document where number = ?",
                (row, i) -> readDocument(row), number).stream().findFirst();
    }

    Optional<BillingDocument> invoiceOf(OrderId orderId) {
        return jdbc.query("select " + DOCUMENT_COLUMNS + " from billing_document where order_id = ? "
                + "and kind = 'INVOICE'", (row, i) -> readDocument(row), orderId.value()).stream().findFirst();
    }

    /** The order's billing: its state and documents, invoice first; nothing if billing never heard of it. */
    Optional<OrderBilling> billingOf(OrderId orderId) {
        return jdbc.query("select customer_id, state, address_version from billing_order where order_id = ?",
                (row, i) -> {
                    BillingState state = BillingState.valueOf(row.getString(2));
                    Long version = row.getObject(3) == null ? null : row.getLong(3);
                    return new OrderBilling(orderId, new CustomerId(row.getObject(1, UUID.class)), state,
                            state == BillingState.AWAITING_BILLING_ADDRESS ? version : null,
                            jdbc.query("select " + DOCUMENT_COLUMNS + " from billing_document where order_id = ? "
                                            + "order by kind desc, issued_at", (doc, j) -> readDocument(doc),
                                    orderId.value()));
                }, orderId.value()).stream().findFirst();
    }

    private BilledOrder readOrder(ResultSet row) throws SQLException {
        PostalAddress delivery = row.getString(8) == null ? null
                : new PostalAddress(row.getString(8), row.getString(9), row.getString(10), row.getString(11));
        return new BilledOrder(new OrderId(row.getObject(1, UUID.class)), new CustomerId(row.getObject(2, UUID.class)),
                row.getObject(3) == null ? null : row.getLong(3), delivery, read(row.getString(4)),
                row.getBigDecimal(5), row.getString(6), BillingState.valueOf(row.getString(7)));
    }

    private BillingDocument readDocument(ResultSet row) throws SQLException {
        return new BillingDocument(row.getString(1), DocumentKind.valueOf(row.getString(2)),
                new OrderId(row.getObject(3, UUID.class)), new CustomerId(row.getObject(4, UUID.class)),
                row.getTimestamp(5).toInstant(), new PostalAddress(row.getString(6), row.getString(7),
                row.getString(8), row.getString(9)), row.getObject(10) == null ? null : row.getLong(10),
                read(row.getString(11)),
                row.getBigDecimal(12), row.getString(13), row.getString(14), row.getString(15));
    }

    private String write(List<OrderLine> lines) {
        try {
            return json.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order lines cannot be written as JSON", e);
        }
    }

    private List<OrderLine> read(String lines) {
        try {
            return json.readValue(lines, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored order lines cannot be read: " + lines, e);
        }
    }

    /**
     * The customer was erased (docs/adr/0032): the addresses on their documents and the delivery addresses their
     * orders carried lose their personal parts. The documents stay (numbers, lines, totals), readable as erased.
     */
    int eraseAddresses(CustomerId customerId) {
        int orders = jdbc.update("update billing_order set delivery_street = ?, delivery_city = ?, "
                + "delivery_postal_code = ? where customer_id = ? and delivery_street is not null",
                PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, customerId.value());
        int documents = jdbc.update("update billing_document set street = ?, city = ?, postal_code = ? "
                + "where customer_id = ?", PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED,
                customerId.value());
        return orders + documents;
    }
}
