package io.orderflow.infra;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.infra.kafka.KafkaSecurity;
import io.orderflow.infra.postgres.DatabaseRoles;
import io.orderflow.infra.auth.EmbeddedIssuer;
import io.orderflow.infra.connect.ConnectWorkerAutoConfiguration;
import io.orderflow.infra.mail.SmtpServerAutoConfiguration;
import io.orderflow.infra.payment.PaymentProviderSimulatorAutoConfiguration;
import io.orderflow.infra.support.LocalPorts;
import io.orderflow.infra.support.OwnerOnlyFiles;
import io.orderflow.topics.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the application at the embedded PostgreSQL and Kafka, or at external ones, before any bean exists.
 *
 * <p>It reads {@link EmbeddedInfrastructureSettings}, its own keys bound and validated as
 * {@link EmbeddedInfrastructureProperties} (a value out of range stops the start, naming the key); the addresses of
 * external services ({@code orderflow.payment.provider-url}, {@code spring.mail.host}, {@code orderflow.connect.url},
 * {@code orderflow.personal-data.master-key}) are declared by the modules that use them and only looked at here. Under
 * the {@code prod} profile it refuses to embed anything. For each embedded service it adds a high-priority property
 * source with {@code spring.datasource.url/username/password} and the bootstrap servers
 * ({@code orderflow.kafka.bootstrap-servers}, {@code axon.kafka.bootstrap-servers},
 * {@code spring.kafka.bootstrap-servers}), and the replication factor of the topics for the embedded cluster's size
 * ({@code orderflow.kafka.topics.replication-factor}); for an external Kafka it copies the external address into
 * the same three properties, so Axon and Spring Kafka agree.
 *
 * <p>In the embedded mode (PostgreSQL and Kafka both embedded), unless {@code orderflow.payment.provider-url}
 * names a real provider (or {@code orderflow.payment.simulator.enabled} is false), it also picks the payment
 * provider simulator's port ({@code orderflow.payment.simulator.port}, 0 for a free one) and points
 * {@code orderflow.payment.provider-url} at it; the simulator itself starts as a bean once the DataSource exists
 * ({@link PaymentProviderSimulatorAutoConfiguration}). In the same way, unless {@code spring.mail.host} names a
 * real SMTP server, it points Spring's mail sender at the embedded one ({@link SmtpServerAutoConfiguration}).
 * With an external PostgreSQL or Kafka neither stand-in starts unless its {@code enabled} property is set to true:
 * the provider and the mail server must then be named, and the application's start check says so.
 *
 * <p>The servers themselves start in an {@link ApplicationContextInitializer} added here, which runs before the
 * context refreshes: Spring Boot has initialized logging by then (it has not while environment post-processors
 * run, and would drop everything the servers log while starting), and the endpoints are already known because
 * the ports are chosen when the infrastructure object is made. The initializer also registers the
 * {@link EmbeddedInfrastructure} (and its parts) as beans, and registers a disposable bean first, so that it is
 * destroyed last, after every bean that uses the database or Kafka.
 *
 * <p>All contexts of one JVM with the same {@code orderflow.home} share one {@link EmbeddedInfrastructure}.
 */
public class EmbeddedInfrastructureEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The name of the property source this post-processor adds. */
    public static final String PROPERTY_SOURCE_NAME = "orderflowEmbeddedInfrastructure";
    /** The replication factor of the application's topics, set here from the embedded cluster's size. */
    static final String TOPICS_REPLICATION_FACTOR = "orderflow.kafka.topics.replication-factor";
    static final String TOPICS_MODE = "orderflow.kafka.topics.mode";
    /** The role the migrations grant the application's privileges to (the migrations' {@code afterMigrate}). */
    public static final String FLYWAY_APP_ROLE = "spring.flyway.placeholders.app_role";
    /** The role the migrations grant Kafka Connect's privileges to. */
    public static final String FLYWAY_CONNECT_ROLE = "spring.flyway.placeholders.connect_role";
    /** The master key that wraps every customer's data key (customer-profile's privacy package). */
    static final String PERSONAL_DATA_MASTER_KEY = "orderflow.personal-data.master-key";
    /** Under ORDERFLOW_HOME: the development run's master key, beside the database whose keys it wraps. */
    static final String PERSONAL_DATA_KEY_FILE = "personal-data-master.key";
    /** The address router's own SASL login, over the application's other Kafka settings. */
    static final String ADDRESS_ROUTER_JAAS = "orderflow.address-routing.sasl-jaas-config";
    /** The profile of production runs, under which nothing may be embedded (application-prod.yml). */
    static final String PRODUCTION_PROFILE = "prod";
    /** The bean name of the {@link EmbeddedInfrastructure}. */
    public static final String INFRASTRUCTURE_BEAN = "orderflowEmbeddedInfrastructure";

    private final Log log;

    /** Created by Spring Boot, which passes a log that is replayed once logging is initialized. */
    public EmbeddedInfrastructureEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedInfrastructureEnvironmentPostProcessor.class);
    }

    /** After the config data (application.yml, profiles) is loaded, so an external URL there is seen. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        EmbeddedInfrastructureProperties configured = EmbeddedInfrastructureProperties.bind(environment);
        EmbeddedInfrastructureSettings settings = EmbeddedInfrastructureSettings.from(environment, configured);
        if (!settings.enabled()) {
            log.info("Embedded infrastructure disabled (orderflow.embedded.enabled=false)");
            return;
        }
        if (environment.matchesProfiles(PRODUCTION_PROFILE)) {
            // application-prod.yml turns the launcher off; only a setting of higher precedence (an environment
            // variable, an argument) can turn it on again, and a production run must not quietly embed anything.
            throw new IllegalStateException("The prod profile runs nothing embedded, but orderflow.embedded.enabled "
                    + "(ORDERFLOW_EMBEDDED_ENABLED) is true: unset it, or run without the prod profile");
        }
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.shared(settings);

        Map<String, Object> properties = new LinkedHashMap<>();
        infrastructure.postgres().ifPresentOrElse(postgres -> {
            // Least privilege: the application reads and writes rows; the owner role migrates; the simulator and
            // Kafka Connect have roles of their own (DatabaseRoles).
            DatabaseRoles roles = postgres.roles();
            properties.put("spring.datasource.url", postgres.jdbcUrl());
            properties.put("spring.datasource.username", DatabaseRoles.APP);
            properties.put("spring.datasource.password", roles.passwordOf(DatabaseRoles.APP));
            properties.put("spring.flyway.user", DatabaseRoles.OWNER);
            properties.put("spring.flyway.password", roles.passwordOf(DatabaseRoles.OWNER));
            properties.put(FLYWAY_APP_ROLE, DatabaseRoles.APP);
            properties.put(FLYWAY_CONNECT_ROLE, DatabaseRoles.CONNECT);
            properties.put(PaymentProviderSimulatorAutoConfiguration.DATASOURCE_URL, postgres.jdbcUrl());
            properties.put(PaymentProviderSimulatorAutoConfiguration.DATASOURCE_USERNAME, DatabaseRoles.SIMULATOR);
            properties.put(PaymentProviderSimulatorAutoConfiguration.DATASOURCE_PASSWORD,
                    roles.passwordOf(DatabaseRoles.SIMULATOR));
            properties.put(ConnectWorkerAutoConfiguration.DATABASE_USERNAME, DatabaseRoles.CONNECT);
            properties.put(ConnectWorkerAutoConfiguration.DATABASE_PASSWORD, roles.passwordOf(DatabaseRoles.CONNECT));
        }, () -> log.info("Using the external database at " + settings.externalJdbcUrl()
                + "; no embedded PostgreSQL"));
        if (infrastructure.kafka().isEmpty()) {
            log.info("Using the external Kafka at " + settings.externalBootstrapServers() + "; no embedded brokers");
        } else if (infrastructure.kafka().get().security().isPresent()) {
            // A secured cluster: the launcher runs the topic step as the topic principal when the cluster starts;
            // the application, as its own principal (which may create nothing), only checks the topics.
            KafkaSecurity security = infrastructure.kafka().get().security().get();
            properties.put(TOPICS_MODE, "check");
            properties.putAll(security.springKafkaProperties(KafkaPrincipal.APP));
            // The address router inside the application signs in as itself: only it writes the address topics.
            properties.put(ADDRESS_ROUTER_JAAS, security.jaas(KafkaPrincipal.ROUTER));
        } else {
            // The development run owns its cluster: it creates and corrects the topics itself at every start (the
            // topic step); against an external cluster the application only checks them.
            properties.put(TOPICS_MODE, "apply");
        }
        if (infrastructure.kafka().isPresent() && !environment.containsProperty(TOPICS_REPLICATION_FACTOR)) {
            // The embedded cluster's size is known; the application's topic initializer, counting brokers through
            // describeCluster, would miss one that is still joining or restarting.
            properties.put(TOPICS_REPLICATION_FACTOR, Topics.defaultReplicationFactor(settings.kafkaBrokers()));
        }
        String bootstrapServers = infrastructure.bootstrapServers();
        properties.put("orderflow.kafka.bootstrap-servers", bootstrapServers);
        properties.put("axon.kafka.bootstrap-servers", bootstrapServers);
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        // The simulator and the mail sink are stand-ins for a development machine: with a real database or real
        // brokers the provider and the mail server must be named, or ExternalServicesCheck refuses to start.
        boolean embeddedMode = infrastructure.postgres().isPresent() && infrastructure.kafka().isPresent();
        choosePaymentProvider(environment, configured.payment().simulator(), properties, embeddedMode);
        chooseMailServer(environment, configured.mail().smtpServer(), properties, embeddedMode);
        chooseConnectWorker(environment, configured.connect(), properties, embeddedMode);
        infrastructure.postgres().ifPresent(postgres -> choosePersonalDataKey(environment, properties, settings));
        infrastructure.issuer().ifPresentOrElse(issuer -> {
            properties.put(EmbeddedInfrastructureSettings.ISSUER_PROPERTY, issuer.issuerUrl());
            // The dashboard signs operators in with the embedded issuer's client for it.
            properties.put("orderflow.security.dashboard.client-id", EmbeddedIssuer.DASHBOARD_CLIENT);
            properties.put("orderflow.security.dashboard.client-secret",
                    issuer.secrets().secretOf(EmbeddedIssuer.DASHBOARD_CLIENT));
            // The issuer accepts a loopback redirect on any port, but not the name localhost (RFC 8252).
            properties.put("orderflow.security.dashboard.redirect-uri",
                    "{baseScheme}://127.0.0.1{basePort}{basePath}" + EmbeddedIssuer.DASHBOARD_REDIRECT_PATH);
        }, () -> log.info("Accepting tokens of the issuer at " + settings.externalIssuerUri()
                + "; no embedded issuer"));

        environment.getPropertySources().remove(PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        application.addInitializers(new Starter(infrastructure));
    }

    /**
     * The master key of the customers' data keys: with the embedded database, one kept beside it under
     * {@code ORDERFLOW_HOME} (owner-only, made at the first start) unless one is configured. The keys it wraps are in
     * that database, so the two belong together; with an external database it must be configured.
     */
    private void choosePersonalDataKey(ConfigurableEnvironment environment, Map<String, Object> properties,
                                       EmbeddedInfrastructureSettings settings) {
        String configured = environment.getProperty(PERSONAL_DATA_MASTER_KEY);
        if (configured != null && !configured.isBlank()) {
            return;
        }
        Path file = settings.home().resolve(PERSONAL_DATA_KEY_FILE);
        try {
            Files.createDirectories(settings.home());
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                OwnerOnlyFiles.write(file, Base64.getEncoder().encodeToString(key) + "\n");
                log.info("Made the master key of the customers' personal data keys in " + file);
            }
            properties.put(PERSONAL_DATA_MASTER_KEY, Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the personal data master key in " + file, e);
        }
    }

    private void choosePaymentProvider(ConfigurableEnvironment environment,
                                       EmbeddedInfrastructureProperties.Simulator simulator,
                                       Map<String, Object> properties, boolean embeddedMode) {
        String providerUrl = environment.getProperty(PaymentProviderSimulatorAutoConfiguration.PROVIDER_URL);
        if (providerUrl != null && !providerUrl.isBlank()) {
            log.info("Using the payment provider at " + providerUrl + "; no simulator");
            return;
        }
        if (!(simulator.enabled() == null ? embeddedMode : simulator.enabled())) {
            log.info(embeddedMode ? "Payment provider simulator disabled and no orderflow.payment.provider-url set"
                    : "No payment provider simulator: PostgreSQL or Kafka is external, so the payment provider must "
                    + "be named (ORDERFLOW_PAYMENT_PROVIDER_URL)");
            return;
        }
        if (!embeddedMode) {
            log.warn("Payment provider simulator started beside an external PostgreSQL or Kafka, as "
                    + PaymentProviderSimulatorAutoConfiguration.ENABLED + "=true asks: it authorizes payments "
                    + "without charging anyone");
        }
        int port = simulator.port();
        // Chosen now, like the other servers' ports, so that the URL is known before any bean needs it.
        int chosen = port == 0 ? LocalPorts.pickFree() : port;
        properties.put(PaymentProviderSimulatorAutoConfiguration.PORT, chosen);
        properties.put(PaymentProviderSimulatorAutoConfiguration.PROVIDER_URL,
                "http://" + LocalPorts.LOOPBACK + ":" + chosen);
    }

    private void chooseMailServer(ConfigurableEnvironment environment,
                                  EmbeddedInfrastructureProperties.SmtpServer smtpServer,
                                  Map<String, Object> properties, boolean embeddedMode) {
        String host = environment.getProperty(SmtpServerAutoConfiguration.MAIL_HOST);
        if (host != null && !host.isBlank()) {
            log.info("Sending mail through the SMTP server at " + host + "; no embedded SMTP server");
            return;
        }
        if (!(smtpServer.enabled() == null ? embeddedMode : smtpServer.enabled())) {
            log.info(embeddedMode ? "Embedded SMTP server disabled and no spring.mail.host set"
                    : "No embedded SMTP server: PostgreSQL or Kafka is external, so the mail server must be named "
                    + "(SPRING_MAIL_HOST)");
            return;
        }
        if (!embeddedMode) {
            log.warn("Embedded SMTP server started beside an external PostgreSQL or Kafka, as "
                    + SmtpServerAutoConfiguration.ENABLED + "=true asks: it keeps mail and delivers none");
        }
        int port = smtpServer.port();
        properties.put(SmtpServerAutoConfiguration.MAIL_HOST, LocalPorts.LOOPBACK);
        properties.put(SmtpServerAutoConfiguration.MAIL_PORT, port == 0 ? LocalPorts.pickFree() : port);
    }

    private void chooseConnectWorker(ConfigurableEnvironment environment,
                                     EmbeddedInfrastructureProperties.Connect connect,
                                     Map<String, Object> properties, boolean embeddedMode) {
        String url = environment.getProperty(ConnectWorkerAutoConfiguration.URL);
        if (url != null && !url.isBlank()) {
            log.info("Applying connectors to the Kafka Connect cluster at " + url + "; no embedded worker");
            return;
        }
        if (!embeddedMode || !connect.embedded()) {
            log.info("No Kafka Connect worker: " + (embeddedMode ? ConnectWorkerAutoConfiguration.EMBEDDED
                    + " is false" : "PostgreSQL or Kafka is external") + " and no orderflow.connect.url is set");
            return;
        }
        int port = connect.port();
        properties.put(ConnectWorkerAutoConfiguration.URL,
                "http://" + LocalPorts.LOOPBACK + ":" + (port == 0 ? LocalPorts.pickFree() : port));
    }

    /** Starts the shared infrastructure for a context and ties its lifetime to the context's. */
    private static final class Starter implements ApplicationContextInitializer<ConfigurableApplicationContext>,
            Ordered {

        private final EmbeddedInfrastructure infrastructure;

        Starter(EmbeddedInfrastructure infrastructure) {
            this.infrastructure = infrastructure;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            infrastructure.acquire();
            try {
                infrastructure.start();
            } catch (RuntimeException e) {
                infrastructure.release();
                throw e;
            }
            ConfigurableListableBeanFactory beans = context.getBeanFactory();
            beans.registerSingleton(INFRASTRUCTURE_BEAN, infrastructure);
            infrastructure.postgres().ifPresent(postgres -> beans.registerSingleton("orderflowPostgres", postgres));
            infrastructure.kafka().ifPresent(kafka -> beans.registerSingleton("orderflowKafkaCluster", kafka));

            DisposableBean releaser = new Releaser(infrastructure);
            if (beans instanceof DefaultSingletonBeanRegistry registry) {
                // Singletons are destroyed in reverse order of registration; registered before any other bean
                // exists, this one goes last.
                registry.registerDisposableBean("orderflowEmbeddedInfrastructureReleaser", releaser);
            } else {
                context.addApplicationListener(event -> {
                    if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                        infrastructure.release();
                    }
                });
            }
        }
    }

    /** Releases the context's lease on the infrastructure when the context is destroyed. */
    private record Releaser(EmbeddedInfrastructure infrastructure) implements DisposableBean {
        @Override
        public void destroy() {
            infrastructure.release();
        }
    }
}
