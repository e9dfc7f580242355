package io.orderflow.projections.api;

import java.util.List;

/**
 * One page of a customer's orders, newest first, with the total number of the customer's orders.
 */
public record CustomerOrdersPage(List<OrderSummaryView> items, int page, int size, long total) {

    public CustomerOrdersPage {
        items = List.copyOf(items);
    }
}
