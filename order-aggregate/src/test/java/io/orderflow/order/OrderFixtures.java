package io.orderflow.order;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.fixtures.Examples;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderId;
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

/** Named test data for the order context, on the shared examples ({@link Examples}). */
final class OrderFixtures {

    static final OrderId ORDER_ID = Examples.ORDER;
    static final CustomerId CUSTOMER_ID = Examples.ADA;
    static final Currency EUR = Currency.getInstance("EUR");
    static final Sku BEANS = Examples.BEANS;
    static final Sku MUG = Examples.MUG;
    static final Sku YEN_TEA = new Sku("SKU-JP");
    static final PostalAddress HOME = Examples.BERLIN;
    static final Instant NOW = Examples.NOW;
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final Catalogue CATALOGUE = catalogue(
            new CatalogueItem(BEANS, Examples.BEANS_NAME, Examples.BEANS_PRICE),
            new CatalogueItem(MUG, Examples.MUG_NAME, Examples.MUG_PRICE),
            new CatalogueItem(YEN_TEA, "Sencha", Money.of("1200", "JPY")));

    private OrderFixtures() {
    }

    static PlaceOrderCommand placeTwoBeansAndAMug() {
        return new PlaceOrderCommand(ORDER_ID, CUSTOMER_ID, EUR,
                List.of(new RequestedLine(BEANS, 2, null), new RequestedLine(MUG, 1, new BigDecimal("8.50"))),
                HOME, null);
    }

    static OrderAcceptedEvent twoBeansAndAMugAccepted() {
        return Examples.accepted(ORDER_ID, HOME);
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
