package io.orderflow.projections.customer;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.UUID;

interface CustomerProfileRepository extends JpaRepository<CustomerProfileEntity, UUID> {
}
