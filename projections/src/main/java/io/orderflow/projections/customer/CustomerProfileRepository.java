package io.orderflow.projections.customer;

import org.springframework.data.jpa.repository.JpaRepository;

interface CustomerProfileRepository extends JpaRepository<CustomerProfileEntity, CustomerProfileEntity.Key> {
}
