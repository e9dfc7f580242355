package io.orderflow.gateway.testkit.process;

import io.orderflow.customer.privacy.PersonalDataCipher;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.Tokens;
import io.orderflow.gateway.testkit.judge.ScenarioChecker;
import io.orderflow.infra.auth.EmbeddedIssuer;
import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.infra.kafka.KafkaSecurity;
import io.orderflow.infra.mail.SmtpServer;
import io.orderflow.infra.payment.PaymentProviderSimulator;
import io.orderflow.infra.postgres.DatabaseRoles;
import io.orderflow.topics.TopicInitializer;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import io.orderflow.infra.postgres.backup.BaseBackups;
import io.orderflow.infra.support.LocalPorts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The whole system as separate real processes, for the failure scenarios: PostgreSQL (its own server process), a
 * Kafka cluster of 1 or 3 brokers (each its own JVM), an SMTP server, the payment provider simulator, and the
 * production jar ({@code java -jar orderflow.jar}, which has no embedded servers) configured against them. Any of
 * them can be killed and started again; a {@link FaultProxy} can stand in front of the database or of every broker
 * (each broker then advertises its proxy, so all Kafka traffic, the other brokers' included, crosses it).
 *
 * <p>The brokers are secured as in production (SASL/SCRAM over TLS, ACLs per principal): the topic step runs as the
 * topic principal, the application gets its principal's settings through Spring's standard {@code spring.kafka.*}
 * properties, and the test's own clients sign in as a principal of their choice ({@link #kafka(KafkaPrincipal)}).
 *
 * <p>The checker reads the database directly, not through a proxy, and the SMTP server's mailbox.
 */
public final class SystemHarness implements AutoCloseable {

    private final Path directory;
    private final int brokers;
    private final boolean proxyBrokers;
    private final boolean proxyDatabase;
    private final boolean archiveWal;
    private final boolean executableJar;
    private final Map<String, String> appEnvironment;

    private SmtpServer smtp;
    private PaymentProviderSimulator paymentProvider;
    private HikariDataSource providerDataSource;
    private EmbeddedPostgresServer postgres;
    private FaultProxy databaseProxy;
    private KafkaCluster kafka;
    private final List<FaultProxy> brokerProxies = new ArrayList<>();
    private AppProcess app;
    /** The application's environment, which every further instance shares. */
    private Map<String, String> appEnv;
    private final List<AppProcess> instances = new ArrayList<>();
    private JdbcTemplate jdbc;
    private EmbeddedIssuer issuer;

    private SystemHarness(Builder builder) {
        this.directory = Path.of("target", "harness-" + UUID.randomUUID()).toAbsolutePath();
        this.brokers = builder.brokers;
        this.proxyBrokers = builder.proxyBrokers;
        this.proxyDatabase = builder.proxyDatabase;
        this.archiveWal = builder.archiveWal;
        this.executableJar = builder.executableJar;
        this.appEnvironment = Map.copyOf(builder.environment);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How the harness is put together. */
    public static final class Builder {
        private int brokers = 1;
        private boolean proxyBrokers;
        private boolean proxyDatabase;
        private boolean archiveWal;
        private boolean executableJar;
        private final Map<String, String> environment = new HashMap<>();

        public Builder brokers(int count) {
            this.brokers = count;
            return this;
        }

        /** A fault proxy in front of every broker. */
        public Builder proxyBrokers() {
            this.proxyBrokers = true;
            return this;
        }

        /** A fault proxy between the application and PostgreSQL. */
        public Builder proxyDatabase() {
            this.proxyDatabase = true;
            return this;
        }

        /** PostgreSQL's write-ahead log archived as it is written, for base backups ({@link #backups()}). */
        public Builder archiveWal() {
            this.archiveWal = true;
            return this;
        }

        /**
         * The production jar run as shipped ({@code java -jar orderflow.jar}), not unpacked with class-data sharing
         * as every other harness runs it ({@link LaunchableJar}).
         */
        public Builder executableJar() {
            this.executableJar = true;
            return this;
        }

        /** An environment variable of the application process. */
        public Builder appEnv(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Starts the infrastructure, then the application, and waits until it is healthy. */
        public SystemHarness start() {
            SystemHarness harness = new SystemHarness(this);
            try {
                harness.startAll();
            } catch (RuntimeException e) {
                harness.close();
                throw e;
            }
            return harness;
        }
    }

    private final String personalDataMasterKey = PersonalDataCipher.newMasterKey();

    private void startAll() {
        long started = System.nanoTime();
        smtp = SmtpServer.start(0);
        postgres = new EmbeddedPostgresServer(directory.resolve("postgres"), 0);
        if (archiveWal) {
            postgres.archiveWal(backups().walDirectory());
        }
        postgres.start();
        if (proxyDatabase) {
            databaseProxy = FaultProxy.start(LocalPorts.LOOPBACK, postgres.port());
        }
        kafka = new KafkaCluster(directory.resolve("kafka"), brokers).secured();
        if (proxyBrokers) {
            for (int node = 0; node < brokers; node++) {
                FaultProxy proxy = FaultProxy.start(LocalPorts.LOOPBACK, kafka.port(node));
                kafka.advertisePort(node, proxy.port());
                brokerProxies.add(proxy);
            }
        }
        kafka.start();
        // The topic step, as an operator's job runs it before the application, which only checks the topics.
        new TopicInitializer(kafka.bootstrapServers()).withClientSettings(kafka(KafkaPrincipal.ADMIN)).apply();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
                postgres.password());
        jdbc = new JdbcTemplate(dataSource);
        // The provider is another company's system: its ledger is beside the application's tables (the checker
        // counts charges there) but it talks to PostgreSQL directly, never through the application's proxy.
        // The port is chosen now and the simulator started once the application has migrated its schema: the
        // ledger table must not be in the database before Flyway's first migration.
        int providerPort = LocalPorts.pickFree();

        int databasePort = proxyDatabase ? databaseProxy.port() : postgres.port();
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://" + LocalPorts.LOOPBACK + ":" + databasePort + "/"
                + postgres.database());
        // As an operator runs it against an external database: the application's role for rows, the owner role for
        // the migrations, which grant the application's role its privileges.
        env.put("SPRING_DATASOURCE_USERNAME", DatabaseRoles.APP);
        env.put("SPRING_DATASOURCE_PASSWORD", postgres.roles().passwordOf(DatabaseRoles.APP));
        env.put("SPRING_FLYWAY_USER", DatabaseRoles.OWNER);
        env.put("SPRING_FLYWAY_PASSWORD", postgres.roles().passwordOf(DatabaseRoles.OWNER));
        env.put("ORDERFLOW_DATABASE_APP_ROLE", DatabaseRoles.APP);
        // One master key for the harness's life: the application restarted must read what it encrypted before.
        env.put("ORDERFLOW_PERSONAL_DATA_MASTER_KEY", personalDataMasterKey);
        env.put("ORDERFLOW_DATABASE_CONNECT_ROLE", DatabaseRoles.CONNECT);
        env.put("KAFKA_BOOTSTRAP_SERVERS", appBootstrapServers());
        env.putAll(kafkaSecurityEnvironment());
        env.put("SPRING_MAIL_HOST", LocalPorts.LOOPBACK);
        env.put("SPRING_MAIL_PORT", Integer.toString(smtp.port()));
        env.put("ORDERFLOW_PAYMENT_PROVIDER_URL", "http://" + LocalPorts.LOOPBACK + ":" + providerPort);
        // The OpenID Connect issuer is another system too: the test's own, whose tokens the application trusts.
        issuer = new EmbeddedIssuer(directory.resolve("auth"), 0).start();
        env.put("ORDERFLOW_OIDC_ISSUER_URI", issuer.issuerUrl());
        // Required under the prod profile, which has no demo defaults for them (ExternalServicesCheck).
        env.put("ORDERFLOW_BILLING_ISSUER", "orderflow test shop");
        env.put("ORDERFLOW_NOTIFICATIONS_FROM", "orders@orderflow.test");
        env.putAll(appEnvironment);
        appEnv = Map.copyOf(env);
        app = new AppProcess(AppProcess.productionJar(), directory.resolve("app"), env, Tokens.of(issuer));
        if (executableJar) {
            app.asShipped();
        }
        Duration appStart = app.start(Duration.ofSeconds(180));
        HikariConfig providerPool = new HikariConfig();
        providerPool.setJdbcUrl(postgres.jdbcUrl());
        providerPool.setUsername(DatabaseRoles.SIMULATOR);
        providerPool.setPassword(postgres.roles().passwordOf(DatabaseRoles.SIMULATOR));
        providerPool.setMaximumPoolSize(16);
        providerPool.setPoolName("payment-provider");
        providerDataSource = new HikariDataSource(providerPool);
        paymentProvider = new PaymentProviderSimulator(providerDataSource).start(providerPort);
        System.out.printf("harness: PostgreSQL on %d, %d broker(s) at %s%s, application on %s (started in %d ms), "
                        + "all ready %d ms after the start; data in %s%n", postgres.port(), brokers,
                kafka.bootstrapServers(), proxyBrokers ? " behind proxies " + appBootstrapServers() : "",
                app.http().baseUrl(), appStart.toMillis(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), directory);
    }

    /**
     * The application's Kafka security as an operator configures it against an external cluster: Spring's standard
     * {@code spring.kafka.*} settings as environment variables, signed in as the application's principal, and the
     * address router's own principal.
     */
    private Map<String, String> kafkaSecurityEnvironment() {
        KafkaSecurity security = kafka.security().orElseThrow();
        Map<String, String> env = new HashMap<>();
        // Each spring.kafka.* property as its environment variable (SPRING_KAFKA_SSL_TRUST_STORE_LOCATION, ...).
        security.springKafkaProperties(KafkaPrincipal.APP).forEach((property, value) ->
                env.put(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        env.put("ORDERFLOW_ADDRESS_ROUTING_SASL_JAAS_CONFIG", security.jaas(KafkaPrincipal.ROUTER));
        return env;
    }

    private String appBootstrapServers() {
        if (!proxyBrokers) {
            return kafka.bootstrapServers();
        }
        return brokerProxies.stream().map(proxy -> LocalPorts.LOOPBACK + ":" + proxy.port())
                .collect(Collectors.joining(","));
    }

    /**
     * Another instance of the application on the same servers (scale-out), named {@code name}
     * ({@code ORDERFLOW_INSTANCE_ID}), on {@code port} (0: a free one), with its own home under the harness's
     * directory. Not started yet: {@link AppProcess#start} it. The harness stops it at the end.
     */
    public AppProcess instance(String name, int port) {
        Map<String, String> env = new HashMap<>(appEnv);
        env.put("ORDERFLOW_INSTANCE_ID", name);
        env.put("SERVER_PORT", Integer.toString(port));
        AppProcess instance = new AppProcess(AppProcess.productionJar(), directory.resolve(name), env,
                Tokens.of(issuer));
        instances.add(instance);
        return instance;
    }

    /** The application's HTTP API. */
    public Http http() {
        return app.http();
    }

    public AppProcess app() {
        return app;
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    /**
     * A Kafka client's settings for the test itself, signed in as {@code principal}: straight to the brokers, never
     * through a proxy. {@link KafkaPrincipal#INSPECTOR} reads every topic and writes none.
     */
    public Map<String, Object> kafka(KafkaPrincipal principal) {
        return kafka.clientSettings(principal);
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    /** The base backups and the WAL archive of the database (taken only with {@link Builder#archiveWal()}). */
    public BaseBackups backups() {
        return new BaseBackups(directory.resolve("postgres-backup"));
    }

    public FaultProxy databaseProxy() {
        if (databaseProxy == null) {
            throw new IllegalStateException("this harness has no database proxy; build it with proxyDatabase()");
        }
        return databaseProxy;
    }

    public FaultProxy brokerProxy(int node) {
        if (brokerProxies.isEmpty()) {
            throw new IllegalStateException("this harness has no broker proxies; build it with proxyBrokers()");
        }
        return brokerProxies.get(node);
    }

    /** The database, read directly. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public SmtpServer smtp() {
        return smtp;
    }

    public ScenarioChecker checker() {
        return new ScenarioChecker(jdbc, kafka(KafkaPrincipal.INSPECTOR), smtp);
    }

    /**
     * WARN and ERROR lines of the Kafka producer and the publisher in the application's log so far: retries,
     * timeouts and failed sends.
     */
    public long producerWarnings() {
        try (var lines = java.nio.file.Files.lines(app.log())) {
            return lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .filter(line -> line.contains("producer") || line.contains("Producer")
                            || line.contains("Publish") || line.contains("publish"))
                    .count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Kills the application with SIGKILL and starts it again on the same infrastructure; answers the restart time. */
    public Duration restartApp() {
        app.kill();
        return app.start(Duration.ofSeconds(180));
    }

    /** Stops the application, the payment provider, the brokers, PostgreSQL and the SMTP server, in that order. */
    @Override
    public void close() {
        instances.forEach(AppProcess::close);
        if (app != null) {
            app.close();
        }
        if (paymentProvider != null) {
            paymentProvider.stop();
        }
        if (providerDataSource != null) {
            providerDataSource.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
        brokerProxies.forEach(FaultProxy::close);
        if (databaseProxy != null) {
            databaseProxy.close();
        }
        if (postgres != null) {
            postgres.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (issuer != null) {
            issuer.close();
        }
    }
}
