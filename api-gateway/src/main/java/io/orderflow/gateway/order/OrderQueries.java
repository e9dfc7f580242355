package io.orderflow.gateway.order;

import io.orderflow.gateway.web.ReadYourWrites;
import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.FindOrderSummaryQuery;
import io.orderflow.projections.api.OrderSummaryView;
import io.orderflow.projections.api.ProjectionProcessors;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads orders from the projections. With a {@code minVersion} the answer waits, bounded and without holding a
 * thread, until the projection has applied that version, so that a client can read its own write; past the bound
 * it answers with what it has and says so in {@code X-Orderflow-Stale} ({@link ReadYourWrites}).
 */
@Component
class OrderQueries {

    private final QueryGateway queryGateway;
    private final ReadYourWrites readYourWrites;

    OrderQueries(QueryGateway queryGateway, ReadYourWrites readYourWrites) {
        this.queryGateway = queryGateway;
        this.readYourWrites = readYourWrites;
    }

    CompletableFuture<ReadYourWrites.Read<OrderSummaryView>> findSummary(OrderId orderId, Long minVersion) {
        return readYourWrites.read(ProjectionProcessors.ORDER_SUMMARY, orderId.value(), () -> query(orderId),
                OrderSummaryView::version, minVersion);
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
