package io.orderflow.gateway.testkit.process;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OpenApiCheck;
import io.orderflow.gateway.testkit.client.Tokens;
import org.junit.jupiter.api.BeforeEach;
import com.zaxxer.hikari.HikariDataSource;
import io.orderflow.infra.EmbeddedInfrastructure;
import io.orderflow.infra.EmbeddedInfrastructureEnvironmentPostProcessor;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the whole application in the test JVM on the real embedded PostgreSQL and Kafka of the infra module, with
 * its data in a fresh folder under target/. Test classes that extend this share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // A low threshold makes every order of the tests that reaches its fourth event go through a snapshot (the
        // benchmark profile sets orderflow.test.snapshot-threshold to the production default instead).
        properties = {"orderflow.order.snapshot-threshold=${orderflow.test.snapshot-threshold:3}",
                // Short waits, so that the fulfillment tests see deadlines pass and retries happen in seconds.
                "orderflow.fulfillment.address-wait=6s", "orderflow.fulfillment.payment-retry-delay=500ms",
                // The notification retrier looks every second, so that its test sees it act at once.
                "orderflow.notifications.retry-check=1s",
                // The instance's name, which its segment claims carry (ProcessorsIT finds it).
                "orderflow.instance-id=" + EmbeddedSystemTest.INSTANCE,
                // The Kafka Connect worker runs in the tests that are about it (KafkaConnectIT), as a process of
                // their own application; the shared context would only pay for its start and its WAL decoding.
                "orderflow.connect.embedded=false",
                // A setting every Kafka client takes from spring.kafka (KafkaClientsIT finds it on each); Kafka's
                // own default, so it changes nothing else.
                "spring.kafka.properties.client.dns.lookup=use_all_dns_ips"})
// A handler that fails for the orders of a poisoned customer (scenario S9); inert unless a test poisons one.
@Import(PoisonPill.class)
// Boot's tests leave metrics export off unless asked; these run the application as deployed, /actuator/prometheus
// included (PrometheusIT scrapes it).
@AutoConfigureObservability
public abstract class EmbeddedSystemTest {

    /** The application instance's name ({@code ORDERFLOW_INSTANCE_ID}). */
    protected static final String INSTANCE = "it-instance";

    static {
        // Read by the infra module before the context starts; one fresh home per test JVM.
        System.setProperty("orderflow.home",
                Path.of("target", "it-home-" + UUID.randomUUID()).toAbsolutePath().toString());
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    @Qualifier(EmbeddedInfrastructureEnvironmentPostProcessor.INFRASTRUCTURE_BEAN)
    private EmbeddedInfrastructure infrastructure;

    /**
     * The database as its superuser sees it: the tests inspect every schema (the payment simulator's ledger too)
     * and set up what the application's role may not. The application itself connects as its own role.
     */
    protected JdbcTemplate jdbc;

    private static JdbcTemplate administrator;

    /** The application's API, called as an operator (who may do everything); {@link Http#as} calls it as others. */
    protected Http http;
    /** Tokens of the development issuer the application trusts. */
    protected Tokens tokens;

    @BeforeEach
    void connect() {
        jdbc = administrator(infrastructure);
        tokens = Tokens.of(Path.of(System.getProperty("orderflow.home")));
        String url = "http://127.0.0.1:" + port;
        OpenApiCheck.readDocumentAs(url, tokens.asOperator());
        http = new Http(url, tokens.asOperator());
    }

    /**
     * A Kafka client's settings for the test itself, signed in as {@code principal}: the embedded cluster is secured
     * (SASL over TLS, ACLs per principal), so a test reads as {@link KafkaPrincipal#INSPECTOR}, writes a forged or an
     * old record as the principal that owns the topic, and looks at everything (internal topics too) as the brokers'
     * own super user.
     */
    protected Map<String, Object> kafka(KafkaPrincipal principal) {
        return infrastructure.kafka().orElseThrow().clientSettings(principal);
    }

    private static synchronized JdbcTemplate administrator(EmbeddedInfrastructure infrastructure) {
        if (administrator == null) {
            EmbeddedPostgresServer postgres = infrastructure.postgres().orElseThrow();
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("test-administrator");
            pool.setJdbcUrl(postgres.jdbcUrl());
            pool.setUsername(postgres.username());
            pool.setPassword(postgres.password());
            pool.setMaximumPoolSize(8);
            administrator = new JdbcTemplate(pool);
        }
        return administrator;
    }

    /**
     * The stored events that a client request can cause: orders placed or cancelled, customers registered or moved.
     * Fulfillment adds events of its own at any time (for orders of earlier tests too), so "a refused request
     * stored nothing" is judged on these.
     */
    protected long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type IN "
                + "('io.orderflow.order.api.OrderAcceptedEvent', 'io.orderflow.order.api.OrderCancelledEvent', "
                + "'io.orderflow.customer.api.CustomerRegisteredEvent', "
                + "'io.orderflow.customer.api.AddressChangedEvent')",
                Long.class);
    }
}
