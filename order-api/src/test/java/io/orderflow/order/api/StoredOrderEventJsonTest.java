package io.orderflow.order.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.orderflow.customer.api.PostalAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OrderAcceptedEvent exactly as the event store holds it reads and writes back to the same JSON, byte for byte.
 * The delivery address was an order-api type of its own until the order context took the customer context's
 * {@link PostalAddress}; nested values are not stored with their class name, so only the field names and their
 * order matter, and this pins them.
 */
class StoredOrderEventJsonTest {

    /** Written by the order-api {@code Address} and {@code CustomerId} types, before they were removed. */
    private static final String STORED = "{\"orderId\":\"11111111-2222-4333-8444-555555555555\","
            + "\"customerId\":\"0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b\","
            + "\"lines\":[{\"sku\":\"SKU-1\",\"name\":\"Beans\",\"quantity\":2,\"unitPrice\":1.50,\"lineTotal\":3.00}],"
            + "\"totalAmount\":3.00,\"currency\":\"EUR\","
            + "\"deliveryAddress\":{\"street\":\"Hauptstrasse 1\",\"city\":\"Berlin\",\"postalCode\":\"10115\","
            + "\"country\":\"DE\"},"
            + "\"addressVersion\":null,\"acceptedAt\":\"2024-01-02T03:04:05Z\",\"contractVersion\":2}";

    /** Configured as the application's stored-contract mapper ({@code defaultAxonObjectMapper}). */
    private final ObjectMapper mapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    @Test
    void aStoredOrderAcceptedEventReadsAndWritesBackTheSameJson() throws Exception {
        OrderAcceptedEvent event = mapper.readValue(STORED, OrderAcceptedEvent.class);

        assertThat(event.deliveryAddress()).isEqualTo(new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE"));
        assertThat(event.customerId()).hasToString("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b");
        assertThat(mapper.writeValueAsString(event)).isEqualTo(STORED);
    }
}
