package io.orderflow.billing.settings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the billing context's settings. The types of this package are its configuration contract: the
 * application's wiring reads them to declare the billing processor (ADR 0044); they depend on nothing else of billing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
public class BillingSettings {
}
