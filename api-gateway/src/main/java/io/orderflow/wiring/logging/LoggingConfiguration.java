package io.orderflow.wiring.logging;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every handler of commands and events logs with the trace id and order id of its message ({@link OrderLogContext});
 * requests log with their trace id ({@code TraceIds}). The format is Spring Boot's: plain text in the default run,
 * structured JSON (Elastic Common Schema) with the {@code prod} profile (application-prod.yml, docs/operations/logs.md).
 */
@Configuration(proxyBeanMethods = false)
class LoggingConfiguration {

    @Bean
    ConfigurerModule orderLogContext() {
        OrderLogContext context = new OrderLogContext();
        return configurer -> {
            configurer.eventProcessing(processing -> processing.registerDefaultHandlerInterceptor(
                    (configuration, processor) -> context));
            configurer.onInitialize(configuration -> configuration.onStart(
                    () -> {
                        CommandBus commands = configuration.commandBus();
                        commands.registerHandlerInterceptor(context);
                    }));
        };
    }
}
