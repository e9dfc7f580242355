package io.orderflow.addressrouting;

import io.orderflow.topics.CloudEventHeaders;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the address router on its own: {@code java -cp ... io.orderflow.addressrouting.AddressRoutingApplication}.
 *
 * <p>Settings, each a Kafka Streams property, come from (later wins) the defaults of {@link #defaults}, a properties
 * file named by {@code ORDERFLOW_ADDRESS_ROUTING_CONFIG} (the place for a cluster's security settings), and
 * {@code KAFKA_BOOTSTRAP_SERVERS}. The state directory defaults to {@code <ORDERFLOW_HOME>/address-routing}.
 */
public final class AddressRoutingApplication {

    private static final Logger LOG = LoggerFactory.getLogger(AddressRoutingApplication.class);

    /**
     * Where the event contracts are served ({@code <public base URL>/api/contracts}), for each routed record's
     * {@code ce_dataschema}; from {@code ORDERFLOW_PUBLIC_BASE_URL} when the router runs on its own.
     */
    public static final String CONTRACTS_URL = "orderflow.contracts.url";

    private AddressRoutingApplication() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Properties settings = defaults(Path.of(env.getOrDefault("ORDERFLOW_HOME",
                Path.of(System.getProperty("user.home"), ".orderflow").toString())));
        String file = env.get("ORDERFLOW_ADDRESS_ROUTING_CONFIG");
        if (file != null && !file.isBlank()) {
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                settings.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("Could not read the address router's settings from " + file, e);
            }
        }
        if (env.get("ORDERFLOW_PUBLIC_BASE_URL") != null) {
            settings.setProperty(CONTRACTS_URL, CloudEventHeaders.contractsUrl(env.get("ORDERFLOW_PUBLIC_BASE_URL")));
        }
        if (env.get("KAFKA_BOOTSTRAP_SERVERS") != null) {
            settings.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"));
        }
        if (settings.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            System.err.println("The address router needs Kafka: set KAFKA_BOOTSTRAP_SERVERS (host:port,...) or "
                    + "bootstrap.servers in the file named by ORDERFLOW_ADDRESS_ROUTING_CONFIG.");
            System.exit(2);
        }
        KafkaStreams streams = start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(streams);
            stopped.countDown();
        }, "address-routing-shutdown"));
        stopped.await();
    }

    /**
     * Starts the router with these settings; the caller stops it with {@link #stop}. Each start is a static member of
     * the group under a name of its own (unless the settings name one), so that a stopped router leaves the group at
     * once and the next one takes its partitions without waiting for a session to time out.
     */
    public static KafkaStreams start(Properties settings) {
        settings = (Properties) settings.clone();
        String instance = StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (settings.getProperty(instance) == null) {
            settings.setProperty(instance, AddressRouting.APPLICATION_ID + "-" + UUID.randomUUID());
        }
        // The router's own setting, not Kafka Streams': taken out before Kafka Streams reads the rest.
        String contractsUrl = (String) settings.remove(CONTRACTS_URL);
        KafkaStreams streams = new KafkaStreams(AddressRouting.topology(contractsUrl == null
                ? AddressRouting.DEFAULT_CONTRACTS_URL : contractsUrl), settings);
        streams.setStateListener((now, before) -> LOG.info("Address router: {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Address router: a stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return streams;
    }

    /** Stops a router that {@link #start} started: it finishes its transaction and leaves the group. */
    public static void stop(KafkaStreams streams) {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    }

    /**
     * Exactly-once processing (a routed record, the store's change and the input offset are committed together),
     * one standby replica of the store (on another instance when there is one, so that a failover does not replay
     * the changelog), internal topics replicated like the cluster's own default, and the state under {@code home}. A router that
     * dies without stopping is noticed by the group after 10 s, and its partitions move to another one.
     */
    public static Properties defaults(Path home) {
        Properties settings = new Properties();
        settings.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, AddressRouting.APPLICATION_ID);
        settings.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.setProperty(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        settings.setProperty(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        settings.setProperty(StreamsConfig.STATE_DIR_CONFIG, home.resolve("address-routing").toString());
        settings.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        settings.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
        return settings;
    }
}
