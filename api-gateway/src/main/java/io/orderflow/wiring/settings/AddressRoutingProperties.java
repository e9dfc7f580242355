package io.orderflow.wiring.settings;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The address router, a Kafka Streams application ({@code orderflow.address-routing.*}, ADR 0023).
 *
 * @param embedded       Whether the address router runs inside the application; false where it is deployed on its own
 *                       (AddressRoutingApplication), beside any number of application instances.
 * @param saslJaasConfig The address router's own SASL login (sasl.jaas.config) on a secured cluster, where only its
 *                       principal may write the address topics; empty: the application's (spring.kafka.*).
 */
@ConfigurationProperties("orderflow.address-routing")
@Validated
public record AddressRoutingProperties(@DefaultValue("true") boolean embedded,
                                       @DefaultValue("") @NotNull String saslJaasConfig) {

    /** Not the login: settings may be logged. */
    @Override
    public String toString() {
        return "AddressRoutingProperties[embedded=" + embedded + ", saslJaasConfig="
                + (saslJaasConfig.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
