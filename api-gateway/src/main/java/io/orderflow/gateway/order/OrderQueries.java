package io.orderflow.gateway.order;

import io.orderflow.gateway.web.ReadYourWrites;
import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.FindOrderSummaryQuery;
import io.orderflow.projections.api.OrderSummaryView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Reads orders from the projections. With a {@code minVersion} it waits, bounded, until the projection has
 * applied that version, so that a client can read its own write; past the bound it answers with what it has and
 * says so in {@code X-Orderflow-Stale}.
 */
@Component
class OrderQueries {

    private final QueryGateway queryGateway;
    private final ReadYourWrites readYourWrites;

    OrderQueries(QueryGateway queryGateway, ReadYourWrites readYourWrites) {
        this.queryGateway = queryGateway;
        this.readYourWrites = readYourWrites;
    }

    ReadYourWrites.Read<OrderSummaryView> findSummary(OrderId orderId, Long minVersion) {
        return readYourWrites.read(() -> query(orderId), OrderSummaryView::version, minVersion);
    }

    private Optional<OrderSummaryView> query(OrderId orderId) {
        try {
            return queryGateway.query(new FindOrderSummaryQuery(orderId),
                    ResponseTypes.optionalInstanceOf(OrderSummaryView.class)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading order " + orderId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading order " + orderId + " failed", e.getCause());
        }
    }
}
