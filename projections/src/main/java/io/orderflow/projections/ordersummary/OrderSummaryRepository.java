package io.orderflow.projections.ordersummary;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.UUID;

interface OrderSummaryRepository extends JpaRepository<OrderSummaryEntity, UUID> {
}
