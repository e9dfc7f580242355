package io.orderflow.projections.customer;

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

    CustomerView toView() {
        return new CustomerView(customerId, name, email, shippingAddress, billingAddress, version);
    }
}
