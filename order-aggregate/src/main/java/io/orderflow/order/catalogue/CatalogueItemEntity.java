package io.orderflow.order.catalogue;

import io.orderflow.order.api.Money;
import io.orderflow.order.api.Sku;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.util.Currency;

@Entity
@Table(name = "catalogue_item")
class CatalogueItemEntity {

    @Id
    private String sku;

    @Column(nullable = false)
    private String name;

    @Column(name = "unit_price", nullable = false)
    private BigDecimal unitPrice;

    @Column(nullable = false, length = 3)
    private String currency;

    protected CatalogueItemEntity() {
        // for JPA
    }

    CatalogueItemEntity(Sku sku, String name, Money unitPrice) {
        this.sku = sku.value();
        update(name, unitPrice);
    }

    void update(String name, Money unitPrice) {
        this.name = name;
        this.unitPrice = unitPrice.amount();
        this.currency = unitPrice.currency().getCurrencyCode();
    }

    CatalogueItem toItem() {
        return new CatalogueItem(new Sku(sku), name, new Money(unitPrice, Currency.getInstance(currency)));
    }
}
