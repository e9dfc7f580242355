package io.orderflow.projections.settings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the read side's settings: the projections', the analytics' and the notifications'. The types of this
 * package are the read side's configuration contract: the application's wiring reads them to declare the processors
 * (ADR 0044); they depend on nothing else of the read side.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ProjectionsProperties.class, AnalyticsProperties.class, NotificationsProperties.class})
public class ProjectionsSettings {
}
