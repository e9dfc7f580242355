package io.orderflow.order.catalogue;

import org.springframework.data.jpa.repository.JpaRepository;

interface CatalogueItemRepository extends JpaRepository<CatalogueItemEntity, String> {
}
