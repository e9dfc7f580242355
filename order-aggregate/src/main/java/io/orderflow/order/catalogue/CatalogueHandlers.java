package io.orderflow.order.catalogue;

import io.orderflow.order.api.CatalogueMessages.CatalogueItemView;
import io.orderflow.order.api.CatalogueMessages.ListCatalogueQuery;
import io.orderflow.order.api.CatalogueMessages.PriceCatalogueItemCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Answers the catalogue's queries and commands. The catalogue is reference data, not an event-sourced aggregate:
 * an order keeps the prices it was accepted with in its own event, so a later price change never rewrites history.
 */
@Component
class CatalogueHandlers {

    private final CatalogueItemRepository repository;

    CatalogueHandlers(CatalogueItemRepository repository) {
        this.repository = repository;
    }

    @QueryHandler
    List<CatalogueItemView> handle(ListCatalogueQuery query) {
        return repository.findAll(Sort.by("sku")).stream().map(CatalogueHandlers::view).toList();
    }

    @CommandHandler
    CatalogueItemView handle(PriceCatalogueItemCommand command) {
        CatalogueItemEntity item = repository.findById(command.sku().value())
                .map(existing -> {
                    existing.update(command.name(), command.unitPrice());
                    return existing;
                })
                .orElseGet(() -> new CatalogueItemEntity(command.sku(), command.name(), command.unitPrice()));
        return view(repository.save(item));
    }

    private static CatalogueItemView view(CatalogueItemEntity entity) {
        CatalogueItem item = entity.toItem();
        return new CatalogueItemView(item.sku().value(), item.name(), item.unitPrice().amount(),
                item.unitPrice().currency().getCurrencyCode());
    }
}
