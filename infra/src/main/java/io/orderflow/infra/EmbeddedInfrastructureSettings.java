package io.orderflow.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertyResolver;

/**
 * What to start, read from Spring properties (which include environment variables such as {@code ORDERFLOW_HOME});
 * the launcher's own keys are declared, with their defaults and rules, by {@link EmbeddedInfrastructureProperties}.
 *
 * <p>Properties:
 * <ul>
 *   <li>{@code orderflow.embedded.enabled} (default true): false starts nothing;</li>
 *   <li>{@code orderflow.home} (env {@code ORDERFLOW_HOME}, default {@code ./.orderflow}): where the data lives;</li>
 *   <li>{@code orderflow.postgres.port} (0 = free), {@code orderflow.postgres.database} (default orderflow),
 *       {@code orderflow.postgres.wal-archive} (default false) and {@code orderflow.postgres.backup-directory};</li>
 *   <li>{@code orderflow.kafka.brokers} (env {@code ORDERFLOW_KAFKA_BROKERS}, default 1),
 *       {@code orderflow.kafka.port} (0 = free, otherwise the first broker's port).</li>
 * </ul>
 * External mode: {@code spring.datasource.url} (env {@code SPRING_DATASOURCE_URL}) means an external PostgreSQL;
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code orderflow.kafka.bootstrap-servers}, {@code axon.kafka.bootstrap-servers}
 * or {@code spring.kafka.bootstrap-servers} (first set wins, in that order) means an external Kafka.
 *
 * @param enabled                  whether anything embedded may start
 * @param home                     the data directory root (absolute)
 * @param postgresPort             PostgreSQL's port, 0 for a free one
 * @param database                 the application database
 * @param externalJdbcUrl          the external database's URL, or null to embed PostgreSQL
 * @param kafkaBrokers             the number of embedded brokers
 * @param kafkaPort                the first broker's port, 0 for free ports
 * @param externalBootstrapServers the external Kafka, or null to embed Kafka
 * @param issuerPort               the embedded OpenID Connect issuer's port, 0 for a free one
 * @param externalIssuerUri        the external issuer, or null to embed one
 * @param kafkaSecured             whether the embedded brokers require SASL over TLS and authorize by ACLs: true, false,
 *                                 or null when not set (secured, unless the Kafka directory was made in plaintext by
 *                                 a release before this default)
 * @param postgresWalArchive       whether the embedded PostgreSQL's write-ahead log is archived as it is written, so
 *                                 that base backups can be taken and restored to the last committed transaction
 *                                 ({@code orderflow.postgres.wal-archive}, env {@code ORDERFLOW_POSTGRES_WAL_ARCHIVE},
 *                                 default false)
 * @param postgresBackupDirectory  where the WAL archive and the base backups go
 *                                 ({@code orderflow.postgres.backup-directory}, default {@code <home>/postgres-backup})
 */
public record EmbeddedInfrastructureSettings(boolean enabled, Path home, int postgresPort, String database,
                                             String externalJdbcUrl, int kafkaBrokers, int kafkaPort,
                                             String externalBootstrapServers, int issuerPort,
                                             String externalIssuerUri, Boolean kafkaSecured,
                                             boolean postgresWalArchive, Path postgresBackupDirectory) {

    /** The property that names the issuer whose tokens the application accepts (env ORDERFLOW_OIDC_ISSUER_URI). */
    public static final String ISSUER_PROPERTY = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

    /**
     * Whether the embedded brokers listen with SASL over TLS and authorize by ACLs (env
     * {@code ORDERFLOW_KAFKA_SECURED}; when not set, secured, unless the Kafka directory was made in plaintext).
     */
    public static final String KAFKA_SECURED_PROPERTY = "orderflow.kafka.secured";

    /** Property names that name an external Kafka, in order of precedence. */
    public static final List<String> BOOTSTRAP_PROPERTIES = List.of("KAFKA_BOOTSTRAP_SERVERS",
            "orderflow.kafka.bootstrap-servers", "axon.kafka.bootstrap-servers", "spring.kafka.bootstrap-servers");

    /** Validates and normalizes. */
    public EmbeddedInfrastructureSettings {
        Objects.requireNonNull(home, "home");
        home = home.toAbsolutePath().normalize();
        if (kafkaBrokers < 1) {
            throw new IllegalArgumentException("orderflow.kafka.brokers must be at least 1, was " + kafkaBrokers);
        }
        externalJdbcUrl = blankToNull(externalJdbcUrl);
        externalBootstrapServers = blankToNull(externalBootstrapServers);
        externalIssuerUri = blankToNull(externalIssuerUri);
        postgresBackupDirectory = postgresBackupDirectory == null ? home.resolve("postgres-backup")
                : postgresBackupDirectory.toAbsolutePath().normalize();
    }

    /**
     * Reads the settings from {@code environment}: the launcher's own keys bound and validated as
     * {@link EmbeddedInfrastructureProperties}, and the addresses of external services, each declared by the module
     * that uses it, only looked at to decide what to embed.
     */
    public static EmbeddedInfrastructureSettings from(ConfigurableEnvironment environment) {
        return from(environment, EmbeddedInfrastructureProperties.bind(environment));
    }

    /** The settings of {@code properties}, with the external addresses found in {@code environment}. */
    static EmbeddedInfrastructureSettings from(PropertyResolver environment,
                                               EmbeddedInfrastructureProperties properties) {
        String bootstrap = BOOTSTRAP_PROPERTIES.stream()
                .map(environment::getProperty)
                .filter(value -> value != null && !value.isBlank())
                .findFirst().orElse(null);
        return new EmbeddedInfrastructureSettings(
                properties.embedded().enabled(),
                Path.of(properties.home()),
                properties.postgres().port(),
                properties.postgres().database(),
                environment.getProperty("spring.datasource.url"),
                properties.kafka().brokers(),
                properties.kafka().port(),
                bootstrap,
                properties.auth().port(),
                environment.getProperty(ISSUER_PROPERTY),
                properties.kafka().secured(),
                properties.postgres().walArchive(),
                Optional.ofNullable(properties.postgres().backupDirectory())
                        .filter(value -> !value.isBlank()).map(Path::of).orElse(null));
    }

    /** Whether an embedded PostgreSQL is to run. */
    public boolean embeddedPostgres() {
        return enabled && externalJdbcUrl == null;
    }

    /** Whether an embedded Kafka cluster is to run. */
    public boolean embeddedKafka() {
        return enabled && externalBootstrapServers == null;
    }

    /** Whether the embedded OpenID Connect issuer is to run. */
    public boolean embeddedIssuer() {
        return enabled && externalIssuerUri == null;
    }

    /** Where the embedded issuer keeps its signing key and secrets. */
    public Path issuerDirectory() {
        return home.resolve("auth");
    }

    /** The embedded PostgreSQL's data directory. */
    public Path postgresDirectory() {
        return home.resolve("postgres");
    }

    /** The embedded Kafka cluster's directory. */
    public Path kafkaDirectory() {
        return home.resolve("kafka");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
