package io.orderflow.gateway.analytics;

import io.swagger.v3.oas.annotations.Operation;
import io.orderflow.projections.api.AnalyticsSummaryView;
import io.orderflow.projections.api.FindAnalyticsSummaryQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/** Order analytics (docs/api.md): counts, revenue per currency and lead time, from the analytics projection. */
@RestController
class AnalyticsController {

    private final QueryGateway queryGateway;

    AnalyticsController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    /** The API's shape: amounts are decimal strings, like every amount of the API. */
    record Summary(long ordersAccepted, long ordersShipped, long ordersCompleted, long ordersFailed,
                   long ordersCancelled, Map<String, String> revenueByCurrency,
                   AnalyticsSummaryView.LeadTime leadTime) {
    }

    @Operation(operationId = "getAnalyticsSummary", summary = "Read the analytics summary",
            description = "Counts and revenue, built by the analytics context from Kafka.")
    @GetMapping(path = "/api/analytics/summary", produces = MediaType.APPLICATION_JSON_VALUE)
    Summary summary() throws InterruptedException {
        AnalyticsSummaryView view;
        try {
            view = queryGateway.query(new FindAnalyticsSummaryQuery(),
                    ResponseTypes.instanceOf(AnalyticsSummaryView.class)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the analytics failed", e.getCause());
        }
        Map<String, String> revenue = new TreeMap<>();
        view.revenueByCurrency().forEach((currency, amount) -> revenue.put(currency, amount.toPlainString()));
        return new Summary(view.ordersAccepted(), view.ordersShipped(), view.ordersCompleted(), view.ordersFailed(),
                view.ordersCancelled(), revenue, view.leadTime());
    }
}
