package io.orderflow.fulfillment.settings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the fulfillment context's settings. The types of this package are its configuration contract: the
 * application's wiring reads them to declare the saga's processor, the operator console to reach the payment
 * provider (ADR 0044); they depend on nothing else of the context.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({FulfillmentProperties.class, PaymentProperties.class, ShipmentProperties.class,
        CrashPointProperties.class})
public class FulfillmentContextSettings {
}
