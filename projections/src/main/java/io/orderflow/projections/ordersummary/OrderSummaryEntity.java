package io.orderflow.projections.ordersummary;

import io.orderflow.customer.api.PostalAddress;
import io.orderflow.projections.api.OrderSummaryView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "order_summary")
@IdClass(OrderSummaryEntity.Key.class)
/**
 * The order summary as JPA reads it for the queries; the projection writes the table with {@link OrderSummaryWrites}.
 */
@org.hibernate.annotations.Immutable
class OrderSummaryEntity {

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
    private PostalAddress deliveryAddress;

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

    protected OrderSummaryEntity() {
        // for JPA
    }

    OrderSummaryView toView() {
        return new OrderSummaryView(orderId, customerId, status, failureReason, List.copyOf(lines), totalAmount,
                currency, deliveryAddress, addressVersion, List.copyOf(history), version);
    }
}
