package io.orderflow.projections.ordersummary;

import io.orderflow.order.api.Address;
import io.orderflow.projections.api.OrderSummaryView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "order_summary")
@IdClass(OrderSummaryEntity.Key.class)
class OrderSummaryEntity implements Persistable<OrderSummaryEntity.Key> {

    /** The row's key: its generation (ADR 0010) and the order. */
    record Key(int generation, UUID orderId) implements Serializable {
    }

    @Id
    @Column(nullable = false)
    private int generation;

    @Id
    @Column(name = "order_id")
    private UUID orderId;

    @Column(name = "customer_id", nullable = false)
    private UUID customerId;

    @Column(nullable = false, length = 32)
    private String status;

    @Column(name = "failure_reason", length = 32)
    private String failureReason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<OrderSummaryView.Line> lines;

    @Column(name = "total_amount", nullable = false)
    private BigDecimal totalAmount;

    @Column(nullable = false, length = 3)
    private String currency;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "delivery_address")
    private Address deliveryAddress;

    @Column(name = "address_version")
    private Long addressVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<OrderSummaryView.HistoryEntry> history;

    @Column(nullable = false)
    private long version;

    @Column(name = "accepted_at", nullable = false)
    private Instant acceptedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** A summary made by the projection is inserted without first asking whether its row exists. */
    @Transient
    private boolean created;

    protected OrderSummaryEntity() {
        // for JPA
    }

    OrderSummaryEntity(int generation, UUID orderId, UUID customerId, List<OrderSummaryView.Line> lines, BigDecimal totalAmount,
                       String currency, Address deliveryAddress, Long addressVersion, Instant acceptedAt) {
        this.generation = generation;
        this.orderId = orderId;
        this.customerId = customerId;
        this.lines = List.copyOf(lines);
        this.totalAmount = totalAmount;
        this.currency = currency;
        this.deliveryAddress = deliveryAddress;
        this.addressVersion = addressVersion;
        this.history = new ArrayList<>();
        this.acceptedAt = acceptedAt;
        this.version = -1;
        this.created = true;
    }

    @Override
    public Key getId() {
        return new Key(generation, orderId);
    }

    @Override
    public boolean isNew() {
        return created;
    }

    @PostLoad
    @PostPersist
    void stored() {
        created = false;
    }

    /**
     * Records that an event moved the order to {@code newStatus}. Events at or below the applied version are
     * redeliveries and change nothing, which makes the projection idempotent.
     *
     * @return whether the event was applied
     */
    boolean apply(long sequence, String eventType, Instant at, String newStatus) {
        return apply(sequence, eventType, at, newStatus, null);
    }

    /** As {@link #apply(long, String, Instant, String)}, recording why the order failed. */
    boolean apply(long sequence, String eventType, Instant at, String newStatus, String newFailureReason) {
        if (sequence <= version) {
            return false;
        }
        if (newFailureReason != null) {
            failureReason = newFailureReason;
        }
        history.add(new OrderSummaryView.HistoryEntry(eventType, at));
        status = newStatus;
        version = sequence;
        updatedAt = at;
        return true;
    }

    OrderSummaryView toView() {
        return new OrderSummaryView(orderId, customerId, status, failureReason, List.copyOf(lines), totalAmount,
                currency, deliveryAddress, addressVersion, List.copyOf(history), version);
    }
}
