package io.orderflow.projections.customer;

import io.orderflow.values.PersonalData;
import java.time.Instant;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.projections.api.CustomerView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.util.UUID;

@Entity
@Table(name = "customer_profile")
@IdClass(CustomerProfileEntity.Key.class)
class CustomerProfileEntity {

    /** The row's key: its generation (ADR 0010) and the customer. */
    record Key(int generation, UUID customerId) implements Serializable {
    }

    @Id
    @Column(nullable = false)
    private int generation;

    @Id
    @Column(name = "customer_id")
    private UUID customerId;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 254)
    private String email;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "shipping_address", nullable = false)
    private PostalAddress shippingAddress;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "billing_address", nullable = false)
    private PostalAddress billingAddress;

    @Column(nullable = false)
    private long version;

    /** When the customer's personal data was erased; null while it was not. */
    @Column(name = "erased_at")
    private Instant erasedAt;

    protected CustomerProfileEntity() {
        // for JPA
    }

    CustomerProfileEntity(int generation, UUID customerId, String name, String email, PostalAddress shippingAddress,
                          PostalAddress billingAddress, long version) {
        this.generation = generation;
        this.customerId = customerId;
        this.name = name;
        this.email = email;
        this.shippingAddress = shippingAddress;
        this.billingAddress = billingAddress;
        this.version = version;
    }

    /** Applies an address change only if it is newer than what this view holds: late events never roll back. */
    boolean change(AddressKind kind, PostalAddress address, long newVersion) {
        if (newVersion <= version) {
            return false;
        }
        if (kind == AddressKind.SHIPPING) {
            shippingAddress = address;
        } else {
            billingAddress = address;
        }
        version = newVersion;
        return true;
    }

    /**
     * Overwrites the personal data with the erased marker (the events, replayed, read the same once the key is gone).
     * Answers whether anything changed.
     */
    boolean erase(Instant at, long newVersion) {
        if (erasedAt != null) {
            return false;
        }
        name = PersonalData.ERASED;
        email = PersonalData.ERASED;
        shippingAddress = shippingAddress.erased();
        billingAddress = billingAddress.erased();
        erasedAt = at;
        version = Math.max(version, newVersion);
        return true;
    }

    CustomerView toView() {
        return new CustomerView(customerId, name, email, shippingAddress, billingAddress, version, erasedAt);
    }
}
