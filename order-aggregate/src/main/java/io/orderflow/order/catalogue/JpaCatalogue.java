package io.orderflow.order.catalogue;

import io.orderflow.order.api.Sku;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;

@Component
class JpaCatalogue implements Catalogue {

    private final CatalogueItemRepository repository;

    JpaCatalogue(CatalogueItemRepository repository) {
        this.repository = repository;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<CatalogueItem> find(Sku sku) {
        return repository.findById(sku.value()).map(CatalogueItemEntity::toItem);
    }
}
