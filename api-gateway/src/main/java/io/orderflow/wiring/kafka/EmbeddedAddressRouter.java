package io.orderflow.wiring.kafka;

import io.orderflow.wiring.settings.AddressRoutingProperties;
import io.orderflow.addressrouting.AddressRoutingApplication;
import io.orderflow.topics.CloudEventHeaders;
import io.orderflow.topics.TopicInitializer;
import io.orderflow.wiring.settings.InstanceProperties;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the address router (the {@code address-routing} module, ADR 0023) inside the application, as the default run
 * does; set {@code orderflow.address-routing.embedded=false} where it is deployed on its own. Its state lives under
 * {@code <orderflow.home>/address-routing/<a directory per start>} and is restored from its changelog topic at each
 * start (one record per customer), so two applications that share a home never share a state directory; a stop
 * deletes the directory, and a start deletes those left by routers that crashed ({@link RouterStateDirectories}).
 */
@Component
@ConditionalOnProperty(name = "orderflow.address-routing.embedded", havingValue = "true", matchIfMissing = true)
public class EmbeddedAddressRouter implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAddressRouter.class);

    private final KafkaClients clients;
    private final String contractsUrl;
    private final Path stateDirectories;
    /** The router's own SASL login (its principal may write the address topics); empty: the application's. */
    private final String ownLogin;
    private volatile KafkaStreams streams;
    private volatile RouterStateDirectories.Held state;

    EmbeddedAddressRouter(KafkaClients clients,
                          InstanceProperties instance, AddressRoutingProperties settings,
                          ObjectProvider<TopicInitializer> topicsFirst) {
        String home = instance.home();
        String publicBaseUrl = instance.publicBaseUrl();
        String ownLogin = settings.saslJaasConfig();
        // The topics it reads and writes exist before it starts, where the application creates them.
        topicsFirst.ifAvailable(initializer -> { });
        this.clients = clients;
        this.contractsUrl = CloudEventHeaders.contractsUrl(publicBaseUrl);
        this.stateDirectories = Path.of(home, "address-routing");
        this.ownLogin = ownLogin;
    }

    @Override
    public synchronized void start() {
        int swept = RouterStateDirectories.sweep(stateDirectories);
        if (swept > 0) {
            LOG.info("Deleted {} state director{} of address routers that are gone", swept, swept == 1 ? "y" : "ies");
        }
        state = RouterStateDirectories.create(stateDirectories);
        // The shared client settings (brokers, security), then the router's own.
        Properties settings = clients.streams(Map.of());
        if (!ownLogin.isBlank()) {
            settings.setProperty(SaslConfigs.SASL_JAAS_CONFIG, ownLogin);
        }
        settings.putAll(AddressRoutingApplication.defaults(stateDirectories));
        settings.setProperty(StreamsConfig.STATE_DIR_CONFIG, state.directory().toString());
        settings.setProperty(AddressRoutingApplication.CONTRACTS_URL, contractsUrl);
        streams = AddressRoutingApplication.start(settings);
        LOG.info("Address router started in this application (state in {})", state.directory());
    }

    @Override
    public synchronized void stop() {
        KafkaStreams running = streams;
        streams = null;
        if (running != null) {
            AddressRoutingApplication.stop(running);
            running.cleanUp();
            state.release();
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The router's Kafka Streams client, for the operator console; empty while it is stopped. */
    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(streams);
    }
}
