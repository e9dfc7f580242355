package io.orderflow.fulfillment.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fulfillment events that carry a delivery address, exactly as the event store holds them, read and write back
 * to the same JSON, byte for byte. They carried the order-api {@code Address} until the customer context's
 * {@code PostalAddress} became the one address type; this pins the field names and their order.
 */
class StoredFulfillmentEventJsonTest {

    private static final String ORDER = "\"orderId\":\"11111111-2222-4333-8444-555555555555\"";
    private static final String ADDRESS = "\"deliveryAddress\":{\"street\":\"Hauptstrasse 1\",\"city\":\"Berlin\","
            + "\"postalCode\":\"10115\",\"country\":\"DE\"}";
    private static final String CUSTOMER = "\"customerId\":\"0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b\"";

    /** Configured as the application's stored-contract mapper ({@code defaultAxonObjectMapper}). */
    private final ObjectMapper mapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    static Stream<Arguments> storedEvents() {
        return Stream.of(
                Arguments.of(DeliveryAddressReadyEvent.class, "{" + ORDER
                        + ",\"customerId\":\"0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b\",\"version\":3," + ADDRESS + "}"),
                Arguments.of(ShipmentArrangedEvent.class,
                        "{" + ORDER + ",\"shipmentId\":\"s-1\",\"carrier\":\"DHL\"," + ADDRESS + "," + CUSTOMER + "}"),
                Arguments.of(ShipmentFailedEvent.class,
                        "{" + ORDER + "," + ADDRESS + ",\"reason\":\"no carrier\"," + CUSTOMER + "}"));
    }

    /** Stored before the shipment events named their customer (ADR 0032): they read, with no customer. */
    @Test
    void shipmentEventsStoredWithoutTheirCustomerStillRead() throws Exception {
        assertThat(mapper.readValue("{" + ORDER + ",\"shipmentId\":\"s-1\",\"carrier\":\"DHL\"," + ADDRESS + "}",
                ShipmentArrangedEvent.class).customerId()).isNull();
        assertThat(mapper.readValue("{" + ORDER + "," + ADDRESS + ",\"reason\":\"no carrier\"}",
                ShipmentFailedEvent.class).customerId()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedEvents")
    void aStoredEventReadsAndWritesBackTheSameJson(Class<?> type, String stored) throws Exception {
        Object event = mapper.readValue(stored, type);

        assertThat(mapper.writeValueAsString(event)).isEqualTo(stored);
    }
}
