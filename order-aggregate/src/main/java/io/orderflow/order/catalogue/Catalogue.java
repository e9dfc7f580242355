package io.orderflow.order.catalogue;

import io.orderflow.order.api.Sku;

import java.util.Optional;

/**
 * Prices orders. The Order aggregate asks it for the current price of every line, so that prices always come
 * from the catalogue and never from the client.
 */
public interface Catalogue {

    Optional<CatalogueItem> find(Sku sku);
}
