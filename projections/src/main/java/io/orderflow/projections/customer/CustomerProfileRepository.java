package io.orderflow.projections.customer;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface CustomerProfileRepository extends JpaRepository<CustomerProfileEntity, CustomerProfileEntity.Key> {

    /** The customer's rows in every generation (an erasure reaches them all). */
    List<CustomerProfileEntity> findByCustomerId(UUID customerId);
}
