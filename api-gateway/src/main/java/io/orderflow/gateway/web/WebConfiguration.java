package io.orderflow.gateway.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The sources of time and identity, as beans so that tests can make them deterministic.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    Supplier<UUID> idGenerator() {
        return UUID::randomUUID;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
