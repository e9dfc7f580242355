package io.orderflow.client.example;

import io.orderflow.client.ApiClient;
import io.orderflow.client.ApiException;
import io.orderflow.client.ApiResponse;
import io.orderflow.client.api.CatalogueApi;
import io.orderflow.client.api.CustomersApi;
import io.orderflow.client.api.OperationsApi;
import io.orderflow.client.api.OrdersApi;
import io.orderflow.client.model.AddressBody;
import io.orderflow.client.model.CancelRequest;
import io.orderflow.client.model.FieldError;
import io.orderflow.client.model.ItemBody;
import io.orderflow.client.model.Line;
import io.orderflow.client.model.OrderBody;
import io.orderflow.client.model.PlaceOrderRequest;
import io.orderflow.client.model.PlacedOrder;
import io.orderflow.client.model.Problem;
import io.orderflow.client.model.RegisterRequest;
import io.orderflow.client.model.StatusChange;
import io.orderflow.client.model.Written;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The README's walk-through, written as a team that calls orderflow would write it: with the Java client that the
 * build generates from {@code docs/openapi.json}, against a running orderflow. Nothing here knows a URL, a status
 * code or a JSON field name that the document does not give it.
 */
class WalkthroughIT {

    private static RunningOrderflow orderflow;

    @BeforeAll
    static void startOrderflow() throws Exception {
        orderflow = RunningOrderflow.start();
    }

    /** A client of the generated code that sends {@code token} with every call. */
    private static ApiClient clientWith(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(orderflow.baseUri());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    @AfterAll
    static void stopOrderflow() throws Exception {
        if (orderflow != null) {
            orderflow.close();
        }
    }

    @Test
    void registerPlaceReadCancelAndATypedProblem() throws Exception {
        // The shop's backend registers the customer (role SERVICE): 201, and the customer's first version.
        ApiClient shop = clientWith(orderflow.token("shop", ""));
        Written customer = new CustomersApi(shop).registerCustomer(new RegisterRequest()
                .name("Ada Lovelace").email("ada@example.com")
                .shippingAddress(address("Hauptstrasse 1", "Berlin", "10115", "DE")), null);
        assertThat(customer.getVersion()).isZero();

        // From then on the customer's app calls with the customer's own token, which names her.
        ApiClient ada = clientWith(orderflow.token("dev-customers", "&customer_id=" + customer.getCustomerId()));
        OrdersApi orders = new OrdersApi(ada);
        OperationsApi operations = new OperationsApi(clientWith(orderflow.token("operator", "")));

        // The catalogue prices the order; the client may show the price it saw and have it checked.
        ItemBody beans = new CatalogueApi(ada).listCatalogue(null).stream()
                .filter(item -> item.getSku().equals("SKU-1")).findFirst().orElseThrow();

        // Fulfilment ships an order within milliseconds here; paused, it leaves the order cancellable for this walk.
        operations.pauseProcessor("fulfillment", null);
        try {
            // Place an order to her registered address (her token says whose it is): 201 with Location, the total
            // and the version.
            ApiResponse<PlacedOrder> placing = orders.placeOrderWithHttpInfo(new PlaceOrderRequest().currency("EUR")
                    .addLinesItem(new Line().sku("SKU-1").quantity(2).unitPrice(beans.getUnitPrice()))
                    .addressVersion(customer.getVersion()), "walkthrough-" + UUID.randomUUID(), null);
            PlacedOrder placed = placing.getData();
            assertThat(placing.getStatusCode()).isEqualTo(201);
            assertThat(placing.getHeaders().get("Location")).containsExactly("/api/orders/" + placed.getOrderId());
            assertThat(placed.getStatus()).isEqualTo("ACCEPTED");
            assertThat(new BigDecimal(placed.getTotalAmount()))
                    .isEqualByComparingTo(new BigDecimal(beans.getUnitPrice()).multiply(BigDecimal.valueOf(2)));

            // Read it back, waiting until the projection has applied the version the command answered.
            OrderBody read = orders.getOrder(UUID.fromString(placed.getOrderId()), placed.getVersion(), null);
            assertThat(read.getVersion()).isGreaterThanOrEqualTo(placed.getVersion());
            assertThat(read.getCustomerId()).isEqualTo(customer.getCustomerId());
            assertThat(read.getTotalAmount()).isEqualTo(placed.getTotalAmount());

            // Cancel it.
            StatusChange cancelled = orders.cancelOrder(UUID.fromString(placed.getOrderId()),
                    new CancelRequest().reason("found it cheaper"), null);
            assertThat(cancelled.getStatus()).isEqualTo("CANCELLED");
            assertThat(cancelled.getVersion()).isGreaterThan(placed.getVersion());
        } finally {
            operations.resumeProcessor("fulfillment", null);
        }

        // A bad request is a typed problem: its type to switch on, and each refused field by its JSON path.
        ApiException refused = catchThrowableOfType(ApiException.class, () -> orders.placeOrder(new PlaceOrderRequest()
                .currency("EUR")
                .addLinesItem(new Line().sku("SKU-1").quantity(0))
                .addressVersion(customer.getVersion()), null, null));
        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
        Problem problem = ada.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getType()).isEqualTo("/problems/invalid-request");
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getErrors()).extracting(FieldError::getField).containsExactly("lines[0].quantity");
    }

    private static AddressBody address(String street, String city, String postalCode, String country) {
        return new AddressBody().street(street).city(city).postalCode(postalCode).country(country);
    }
}
