package io.orderflow.gateway.testkit.client;

import java.util.UUID;

/** Named order requests for the system tests. */
public final class Orders {

    public static final String HOME = """
            {"street": "Hauptstrasse 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}""";

    private Orders() {
    }

    /** Two bags of beans (19.99 each) and a mug (8.50), shipped to a snapshot address: 48.48 EUR. */
    public static String twoBeansAndAMug(UUID customerId) {
        return """
                {"customerId": "%s", "currency": "EUR",
                 "lines": [{"sku": "SKU-1", "quantity": 2, "unitPrice": "19.99"}, {"sku": "SKU-2", "quantity": 1}],
                 "deliveryAddress": %s}""".formatted(customerId, HOME);
    }

    public static String oneBag() {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1}],
                 "deliveryAddress": %s}""".formatted(UUID.randomUUID(), HOME);
    }

    /** One bag for the customer named in the body (a service or an operator places it). */
    public static String oneBagFor(UUID customerId) {
        return """
                {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": 1}],
                 "deliveryAddress": %s}""".formatted(customerId, HOME);
    }

    /** An order without a customer: a customer places it with their token, which says whose it is. */
    public static String withoutCustomer(String sku, int quantity) {
        return """
                {"currency": "EUR", "lines": [{"sku": "%s", "quantity": %d}], "deliveryAddress": %s}"""
                .formatted(sku, quantity, HOME);
    }
}
