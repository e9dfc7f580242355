package io.orderflow.billing.address;

import io.orderflow.values.PersonalData;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import jakarta.annotation.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/**
 * The billing context's own copy of every billing-address version of every customer, fed from
 * {@code orderflow.billing-address-changed} (the address router sends one per profile version, ADR 0023).
 *
 * <p>An invoice is addressed with the billing address of the order's own profile version: the address valid when
 * the customer ordered, not a later one. If billing has only later versions (it came late to a compacted topic),
 * the earliest of them. Until billing has the order's version the invoice waits (ADR 0024). Every question and every
 * arrival takes the customer's row lock first, in the caller's transaction, so an invoice is either answered at once
 * or registered as waiting before the version it needs can be stored: no version slips between the two.
 */
@Component
public class BillingAddresses {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public BillingAddresses(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A billing address and the profile version it is from; no version for the delivery address an order without one
     * carried.
     */
    public record VersionedAddress(PostalAddress address, @Nullable Long version) {
    }

    /**
     * Stores a version under the customer's lock. Answers true if it was new (a repeated delivery changes nothing).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean store(CustomerId customerId, long version, PostalAddress address) {
        lock(customerId);
        Timestamp now = Timestamp.from(clock.instant());
        int added = jdbc.update("insert into billing_address_version (customer_id, version, street, city, "
                        + "postal_code, country, received_at) values (?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict (customer_id, version) do nothing", customerId.value(), version,
                address.street(), address.city(), address.postalCode(), address.country(), now);
        jdbc.update("update billing_address set version = ?, updated_at = ? where customer_id = ? and version < ?",
                version, now, customerId.value(), version);
        return added == 1;
    }

    /**
     * The customer was erased (docs/adr/0032): every billing address version kept for them loses its personal parts.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int erase(CustomerId customerId) {
        lock(customerId);
        return jdbc.update("update billing_address_version set street = ?, city = ?, postal_code = ? "
                + "where customer_id = ?", PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED,
                customerId.value());
    }

    /**
     * Under the customer's lock: the billing address for an order of profile version {@code orderVersion} (the
     * newest known for an order that named none), or nothing if billing has not received it yet.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<VersionedAddress> forOrder(CustomerId customerId, @Nullable Long orderVersion) {
        lock(customerId);
        String select = "select street, city, postal_code, country, version from billing_address_version "
                + "where customer_id = ? ";
        return (orderVersion == null
                ? jdbc.query(select + "order by version desc limit 1", (row, i) -> read(row), customerId.value())
                : jdbc.query(select + "and version >= ? order by version limit 1", (row, i) -> read(row),
                customerId.value(), orderVersion))
                .stream().findFirst();
    }

    private void lock(CustomerId customerId) {
        jdbc.update("insert into billing_address (customer_id, version, updated_at) values (?, -1, ?) "
                + "on conflict (customer_id) do nothing", customerId.value(), Timestamp.from(clock.instant()));
        jdbc.queryForObject("select version from billing_address where customer_id = ? for update", Long.class,
                customerId.value());
    }

    private static VersionedAddress read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new VersionedAddress(new PostalAddress(row.getString(1), row.getString(2), row.getString(3),
                row.getString(4)), row.getLong(5));
    }
}
