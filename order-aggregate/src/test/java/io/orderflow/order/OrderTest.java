package io.orderflow.order;

import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.order.api.OrderRejectedException.Reason;
import io.orderflow.order.api.OrderStatus;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.PlaceOrderResult;
import io.orderflow.order.api.RequestedLine;
import io.orderflow.order.api.Sku;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.orderflow.order.OrderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class OrderTest {

    private FixtureConfiguration<Order> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Order.class);
        fixture.registerInjectableResource(CATALOGUE);
        fixture.registerInjectableResource(CLOCK);
    }

    @Test
    void givenNothing_whenPlaceOrder_thenAcceptedWithCataloguePricesAndComputedTotal() {
        fixture.givenNoPriorActivity()
               .when(placeTwoBeansAndAMug())
               .expectSuccessfulHandlerExecution()
               .expectEvents(twoBeansAndAMugAccepted())
               .expectResultMessagePayload(new PlaceOrderResult(ORDER_ID, Money.of("48.48", "EUR"), 0))
               .expectState(order -> assertThat(order.status()).isEqualTo(OrderStatus.ACCEPTED));
    }

    @Test
    void givenNothing_whenPlaceOrderWithAddressVersion_thenAcceptedWaitingForThatVersion() {
        PlaceOrderCommand command = new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR,
                List.of(new RequestedLine(BEANS, 1, null)), null, 7L);

        fixture.givenNoPriorActivity()
               .when(command)
               .expectEvents(new OrderAcceptedEvent(ORDER_ID, CUSTOMER_ID,
                       List.of(new OrderLine(BEANS, "Espresso beans, 1 kg", 1, new BigDecimal("19.99"),
                               new BigDecimal("19.99"))),
                       new BigDecimal("19.99"), "EUR", null, 7L, NOW, 2));
    }

    @Test
    void givenNothing_whenPlaceOrderWithUnknownSku_thenRejectedNamingTheLine() {
        fixture.givenNoPriorActivity()
               .when(place(new RequestedLine(BEANS, 1, null), new RequestedLine(new Sku("NOPE-1"), 1, null)))
               .expectNoEvents()
               .expectException(OrderRejectedException.class)
               .expectExceptionMessage("the catalogue has no SKU NOPE-1")
               .expectException(rejection(Reason.UNKNOWN_SKU, "lines[1].sku"));
    }

    @Test
    void givenNothing_whenPlaceOrderInAnotherCurrencyThanTheSku_thenRejected() {
        fixture.givenNoPriorActivity()
               .when(place(new RequestedLine(YEN_TEA, 1, null)))
               .expectNoEvents()
               .expectException(rejection(Reason.CURRENCY_MISMATCH, "currency"));
    }

    @Test
    void givenNothing_whenShownPriceDiffersFromCatalogue_thenRejectedAsPriceChanged() {
        fixture.givenNoPriorActivity()
               .when(place(new RequestedLine(BEANS, 1, new BigDecimal("17.99"))))
               .expectNoEvents()
               .expectException(rejection(Reason.PRICE_CHANGED, "lines[0].unitPrice"));
    }

    @Test
    void givenNothing_whenShownPriceEqualsCatalogueAtAnotherScale_thenAccepted() {
        fixture.givenNoPriorActivity()
               .when(place(new RequestedLine(MUG, 3, new BigDecimal("8.5"))))
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(new PlaceOrderResult(ORDER_ID, Money.of("25.50", "EUR"), 0));
    }

    private static org.hamcrest.Matcher<OrderRejectedException> rejection(Reason reason, String field) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(OrderRejectedException e) {
                return e.reason() == reason && field.equals(e.field());
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("rejection " + reason + " on " + field);
            }
        };
    }
}
