package io.orderflow.projections.ordersummary;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.UUID;

interface OrderSummaryRepository extends JpaRepository<OrderSummaryEntity, OrderSummaryEntity.Key> {

    Page<OrderSummaryEntity> findByGenerationAndCustomerId(int generation, UUID customerId, Pageable pageable);
}
