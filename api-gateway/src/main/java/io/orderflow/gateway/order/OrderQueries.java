package io.orderflow.gateway.order;

import io.orderflow.order.api.OrderId;
import io.orderflow.projections.api.FindOrderSummaryQuery;
import io.orderflow.projections.api.OrderSummaryView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Reads orders from the projections. With a {@code minVersion} it waits, bounded, until the projection has
 * applied that version, so that a client can read its own write; past the bound it answers with what it has and
 * says so in {@code X-Orderflow-Stale}.
 */
@Component
class OrderQueries {

    static final String STALE_HEADER = "X-Orderflow-Stale";
    private static final long POLL_MILLIS = 20;

    private final QueryGateway queryGateway;
    private final Duration maxWait;

    OrderQueries(QueryGateway queryGateway, @Value("${orderflow.api.read-your-writes-wait:5s}") Duration maxWait) {
        this.queryGateway = queryGateway;
        this.maxWait = maxWait;
    }

    record Read(Optional<OrderSummaryView> view, boolean stale) {

        HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            if (stale) {
                headers.add(STALE_HEADER, "true");
            }
            return headers;
        }
    }

    Read findSummary(OrderId orderId, Long minVersion) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Optional<OrderSummaryView> view = query(orderId);
            boolean reached = minVersion == null || view.map(v -> v.version() >= minVersion).orElse(false);
            if (reached) {
                return new Read(view, false);
            }
            if (System.nanoTime() >= deadline) {
                return new Read(view, true);
            }
            sleep();
        }
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

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the projection", e);
        }
    }
}
