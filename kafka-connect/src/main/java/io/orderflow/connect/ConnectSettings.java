package io.orderflow.connect;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers the settings of the Kafka Connect cluster the connectors go to (ADR 0044). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConnectProperties.class)
public class ConnectSettings {
}
