package io.orderflow.order;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.OrderLine;
import io.orderflow.order.api.PlaceOrderCommand;
import io.orderflow.order.api.RequestedLine;
import io.orderflow.order.api.Sku;
import io.orderflow.order.catalogue.Catalogue;
import io.orderflow.order.catalogue.CatalogueItem;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Named test data for the order context. */
final class OrderFixtures {

    static final OrderId ORDER_ID = OrderId.of("6f1c3a52-8d0e-4c57-9a3e-1d2b3c4d5e6f");
    static final CustomerId CUSTOMER_ID = CustomerId.of("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b");
    static final Currency EUR = Currency.getInstance("EUR");
    static final Sku BEANS = new Sku("SKU-1");
    static final Sku MUG = new Sku("SKU-2");
    static final Sku YEN_TEA = new Sku("SKU-JP");
    static final PostalAddress HOME = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final Catalogue CATALOGUE = catalogue(
            new CatalogueItem(BEANS, "Espresso beans, 1 kg", Money.of("19.99", "EUR")),
            new CatalogueItem(MUG, "Ceramic mug", Money.of("8.50", "EUR")),
            new CatalogueItem(YEN_TEA, "Sencha", Money.of("1200", "JPY")));

    private OrderFixtures() {
    }

    static PlaceOrderCommand placeTwoBeansAndAMug() {
        return new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR,
                List.of(new RequestedLine(BEANS, 2, null), new RequestedLine(MUG, 1, new BigDecimal("8.50"))),
                HOME, null);
    }

    static OrderAcceptedEvent twoBeansAndAMugAccepted() {
        return new OrderAcceptedEvent(ORDER_ID, CUSTOMER_ID,
                List.of(new OrderLine(BEANS, "Espresso beans, 1 kg", 2, new BigDecimal("19.99"),
                                new BigDecimal("39.98")),
                        new OrderLine(MUG, "Ceramic mug", 1, new BigDecimal("8.50"), new BigDecimal("8.50"))),
                new BigDecimal("48.48"), "EUR", HOME, null, NOW, 2);
    }

    static PlaceOrderCommand place(RequestedLine... lines) {
        return new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR, List.of(lines), HOME, null);
    }

    static Catalogue catalogue(CatalogueItem... items) {
        Map<Sku, CatalogueItem> bySku = Stream.of(items)
                .collect(Collectors.toMap(CatalogueItem::sku, Function.identity()));
        return sku -> Optional.ofNullable(bySku.get(sku));
    }
}
