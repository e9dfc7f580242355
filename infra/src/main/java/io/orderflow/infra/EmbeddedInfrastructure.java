package io.orderflow.infra;

import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.infra.postgres.DatabaseRoles;
import io.orderflow.infra.auth.EmbeddedIssuer;
import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import io.orderflow.infra.postgres.backup.BaseBackups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server and Kafka cluster of one {@code orderflow.home}, started together and stopped
 * together, with the endpoints the application connects to.
 *
 * <p>Either part is absent when that service is external (then {@link #jdbcUrl()} and {@link #bootstrapServers()}
 * give the external endpoints). Ports are chosen when this object is created, so the endpoints are known before
 * {@link #start()}. PostgreSQL and Kafka start in parallel.
 *
 * <p>One instance per home directory per JVM: {@link #shared(EmbeddedInfrastructureSettings)} hands every Spring
 * context of the JVM the same instance, which counts the contexts using it ({@link #acquire()},
 * {@link #release()}) and stops when the last one closes. A JVM shutdown hook stops it as a fallback, after giving
 * contexts that are closing a moment to finish with it.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);
    private static final Map<Path, EmbeddedInfrastructure> SHARED = new HashMap<>();
    private static final Duration HOOK_WAIT_FOR_CONTEXTS = Duration.ofSeconds(15);

    private final EmbeddedInfrastructureSettings settings;
    private final EmbeddedPostgresServer postgres;
    private final KafkaCluster kafka;
    private final EmbeddedIssuer issuer;

    private boolean running;
    private boolean stopped;
    private int leases;
    private Thread shutdownHook;

    /** Prepares (without starting) what {@code settings} asks for; ports are chosen now. */
    public EmbeddedInfrastructure(EmbeddedInfrastructureSettings settings) {
        this.settings = settings;
        this.postgres = settings.embeddedPostgres()
                ? new EmbeddedPostgresServer(settings.postgresDirectory(), settings.postgresPort(), settings.database())
                : null;
        if (postgres != null && settings.postgresWalArchive()) {
            postgres.archiveWal(new BaseBackups(settings.postgresBackupDirectory()).walDirectory());
        }
        this.kafka = settings.embeddedKafka()
                ? new KafkaCluster(settings.kafkaDirectory(), settings.kafkaBrokers(), settings.kafkaPort())
                : null;
        if (kafka != null && securesKafka(settings, kafka)) {
            kafka.secured();
        }
        this.issuer = settings.embeddedIssuer()
                ? new EmbeddedIssuer(settings.issuerDirectory(), settings.issuerPort())
                : null;
    }

    /**
     * Secured unless told otherwise; a Kafka directory an earlier release made in plaintext stays plaintext when
     * nothing was said (it cannot be secured in place), with a warning that says how to secure it.
     */
    private static boolean securesKafka(EmbeddedInfrastructureSettings settings, KafkaCluster kafka) {
        if (settings.kafkaSecured() != null) {
            return settings.kafkaSecured();
        }
        if (kafka.formattedWithoutCredentials()) {
            log.warn("The Kafka data in {} was made without credentials and cannot be secured in place: the embedded "
                    + "brokers run in PLAINTEXT, open to anyone on this machine. To secure them, start with a new "
                    + "ORDERFLOW_HOME (or remove {}); ORDERFLOW_KAFKA_SECURED=false silences this warning",
                    settings.kafkaDirectory(), settings.kafkaDirectory());
            return false;
        }
        return true;
    }

    /**
     * The instance for {@code settings.home()} in this JVM: the running one if there is one, otherwise a new one.
     * A second caller with other settings for the same home gets the running instance (and a warning).
     */
    public static EmbeddedInfrastructure shared(EmbeddedInfrastructureSettings settings) {
        synchronized (SHARED) {
            EmbeddedInfrastructure existing = SHARED.get(settings.home());
            if (existing != null && !existing.isStopped()) {
                if (!existing.settings.equals(settings)) {
                    log.warn("Embedded infrastructure for {} already exists with {}; ignoring {}", settings.home(),
                            existing.settings, settings);
                }
                return existing;
            }
            EmbeddedInfrastructure created = new EmbeddedInfrastructure(settings);
            SHARED.put(settings.home(), created);
            return created;
        }
    }

    /**
     * Starts PostgreSQL and Kafka in parallel (whichever are embedded), writes {@code endpoints.properties} into the
     * home directory and logs where everything is. Does nothing if already running.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        if (postgres == null && kafka == null && issuer == null) {
            running = true;
            return;
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(settings.home());
            Files.deleteIfExists(endpointsFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare " + settings.home(), e);
        }
        CompletableFuture<Void> pg = postgres == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(postgres::start, runnable -> startThread("postgres-start", runnable));
        CompletableFuture<Void> kf = kafka == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(kafka::start, runnable -> startThread("kafka-start", runnable));
        CompletableFuture<Void> auth = issuer == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(issuer::start, runnable -> startThread("issuer-start", runnable));
        try {
            CompletableFuture.allOf(pg, kf, auth).join();
        } catch (CompletionException e) {
            // The part that did start must not outlive the failed start.
            pg.handle((ok, failure) -> null).join();
            kf.handle((ok, failure) -> null).join();
            auth.handle((ok, failure) -> null).join();
            stopParts();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
        if (kafka != null) {
            // A secured cluster's topics are made by the topic step's own principal, before the application (which
            // may not create them) starts; a plaintext one's by the application itself.
            kafka.security().ifPresent(security -> kafka.topicInitializer()
                    .withClientSettings(security.clientSettings(KafkaPrincipal.ADMIN)).apply());
        }
        running = true;
        stopped = false;
        registerShutdownHook();
        writeEndpoints();
        log.info("Embedded infrastructure ready in {} ms, data in {}: {}; {}; {}; endpoints in {}",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), settings.home(), describePostgres(),
                describeKafka(), describeIssuer(), endpointsFile());
    }

    /** Stops Kafka and PostgreSQL (in parallel) and removes {@code endpoints.properties}. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopped = true;
        long started = System.nanoTime();
        stopParts();
        try {
            Files.deleteIfExists(endpointsFile());
        } catch (IOException e) {
            log.debug("Could not delete {}", endpointsFile(), e);
        }
        if (postgres != null || kafka != null || issuer != null) {
            log.info("Embedded infrastructure in {} stopped in {} ms", settings.home(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        removeShutdownHook();
    }

    @Override
    public void close() {
        stop();
    }

    /** Registers a user (a Spring context) of this instance. */
    public synchronized void acquire() {
        leases++;
    }

    /** Unregisters a user; the last one out stops the servers. */
    public synchronized void release() {
        leases = Math.max(0, leases - 1);
        if (leases == 0) {
            stop();
        }
    }

    /** The embedded PostgreSQL server, empty when the database is external. */
    public Optional<EmbeddedPostgresServer> postgres() {
        return Optional.ofNullable(postgres);
    }

    /** The embedded Kafka cluster, empty when Kafka is external. */
    public Optional<KafkaCluster> kafka() {
        return Optional.ofNullable(kafka);
    }

    /** The embedded OpenID Connect issuer, empty when the issuer is external. */
    public Optional<EmbeddedIssuer> issuer() {
        return Optional.ofNullable(issuer);
    }

    /** The JDBC URL the application uses: the embedded server's, or the external one. */
    public String jdbcUrl() {
        return postgres != null ? postgres.jdbcUrl() : settings.externalJdbcUrl();
    }

    /** The Kafka bootstrap servers the application uses: the embedded cluster's, or the external ones. */
    public String bootstrapServers() {
        return kafka != null ? kafka.bootstrapServers() : settings.externalBootstrapServers();
    }

    /** The settings this instance was made from. */
    public EmbeddedInfrastructureSettings settings() {
        return settings;
    }

    /** The data directory root. */
    public Path home() {
        return settings.home();
    }

    /** Where the endpoints are written for operators and scripts: {@code <home>/endpoints.properties}. */
    public Path endpointsFile() {
        return settings.home().resolve("endpoints.properties");
    }

    /** Whether {@link #start()} has completed and {@link #stop()} has not been called since. */
    public synchronized boolean isRunning() {
        return running;
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    private void stopParts() {
        if (issuer != null) {
            issuer.close();
        }
        CompletableFuture<Void> kf = kafka == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(kafka::stop, runnable -> startThread("kafka-stop", runnable));
        CompletableFuture<Void> pg = postgres == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(postgres::stop, runnable -> startThread("postgres-stop", runnable));
        for (CompletableFuture<Void> part : List.of(kf, pg)) {
            try {
                part.join();
            } catch (CompletionException e) {
                log.warn("Stopping embedded infrastructure: {}", e.getCause().toString(), e.getCause());
            }
        }
    }

    private String describePostgres() {
        if (postgres == null) {
            return "PostgreSQL external at " + settings.externalJdbcUrl();
        }
        return "PostgreSQL " + postgres.jdbcUrl() + " (user " + DatabaseRoles.APP + ", started in "
                + postgres.lastStartDuration().toMillis() + " ms, " + postgres.lastStartSummary()
                + postgres.walArchiver().map(archiver -> ", WAL archived in " + archiver.directory()).orElse("") + ")";
    }

    private String describeIssuer() {
        return issuer == null ? "OpenID Connect issuer external at " + settings.externalIssuerUri()
                : "OpenID Connect issuer " + issuer.issuerUrl();
    }

    private String describeKafka() {
        if (kafka == null) {
            return "Kafka external at " + settings.externalBootstrapServers();
        }
        return "Kafka " + kafka.bootstrapServers() + " (" + kafka.size() + " broker(s), started in "
                + kafka.lastStartDuration().toMillis() + " ms)";
    }

    private void writeEndpoints() {
        StringBuilder text = new StringBuilder()
                .append("# Endpoints of the embedded infrastructure in ").append(settings.home()).append('\n')
                .append("# Written when it starts and removed when it stops.\n");
        if (postgres != null) {
            String appPassword = postgres.roles().passwordOf(DatabaseRoles.APP);
            text.append("# PGPASSWORD=").append(appPassword).append(" psql -h 127.0.0.1 -p ").append(postgres.port())
                    .append(" -U ").append(DatabaseRoles.APP).append(' ').append(postgres.database()).append('\n')
                    .append("# The application's role (rows only); every role's password is in postgres.credentials\n")
                    .append("jdbc.url=").append(postgres.jdbcUrl()).append('\n')
                    .append("jdbc.username=").append(DatabaseRoles.APP).append('\n')
                    .append("jdbc.password=").append(appPassword).append('\n')
                    .append("postgres.credentials=").append(postgres.credentialsFile()).append('\n')
                    .append("postgres.port=").append(postgres.port()).append('\n')
                    .append("postgres.data=").append(postgres.dataDirectory()).append('\n')
                    .append("postgres.log=").append(postgres.logFile()).append('\n');
        }
        if (kafka != null) {
            text.append("# kafka-topics.sh --bootstrap-server ").append(kafka.bootstrapServers()).append(" --list\n")
                    .append("kafka.bootstrap.servers=").append(kafka.bootstrapServers()).append('\n')
                    .append("kafka.brokers=").append(kafka.size()).append('\n')
                    .append("kafka.data=").append(kafka.directory()).append('\n');
            kafka.security().ifPresent(security -> {
                // The inspection principal (reads every topic, writes none), for librdkafka tools such as kcat.
                text.append("# kcat -b ").append(kafka.bootstrapServers()).append(" -X security.protocol=SASL_SSL")
                        .append(" ... (the kafka.librdkafka.* settings below, each as -X <key>=<value>)")
                        .append(" -C -t orderflow.order-events -e\n");
                security.librdkafkaSettings(KafkaPrincipal.INSPECTOR).forEach((key, value) ->
                        text.append("kafka.librdkafka.").append(key).append('=').append(value).append('\n'));
            });
        }
        if (issuer != null) {
            String operator = EmbeddedIssuer.OPERATOR_CLIENT + ":"
                    + issuer.secrets().secretOf(EmbeddedIssuer.OPERATOR_CLIENT);
            text.append("# An operator token: curl -s -u ").append(operator)
                    .append(" -d grant_type=client_credentials ").append(issuer.tokenEndpoint()).append('\n')
                    .append("# A customer's token (this development issuer only): curl -s -u ")
                    .append(EmbeddedIssuer.DEV_CUSTOMERS_CLIENT)
                    .append(":<its secret> -d grant_type=client_credentials")
                    .append(" -d customer_id=<the customer's id> ").append(issuer.tokenEndpoint()).append('\n')
                    .append("auth.issuer=").append(issuer.issuerUrl()).append('\n')
                    .append("auth.token-endpoint=").append(issuer.tokenEndpoint()).append('\n');
            for (String[] client : new String[][] {{"operator", EmbeddedIssuer.OPERATOR_CLIENT},
                    {"shop", EmbeddedIssuer.SHOP_CLIENT}, {"dev-customers", EmbeddedIssuer.DEV_CUSTOMERS_CLIENT},
                    {"metrics", EmbeddedIssuer.METRICS_CLIENT}}) {
                text.append("auth.").append(client[0]).append(".client-id=").append(client[1]).append('\n')
                        .append("auth.").append(client[0]).append(".client-secret=")
                        .append(issuer.secrets().secretOf(client[1])).append('\n');
            }
            text.append("auth.dashboard.user=").append(EmbeddedIssuer.OPERATOR_USER).append('\n')
                    .append("auth.dashboard.password=").append(issuer.secrets().operatorPassword()).append('\n');
        }
        try {
            // Written aside and moved, so a script polling for the file never reads half of it.
            Path temporary = endpointsFile().resolveSibling("endpoints.properties.tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary);
            // It holds client secrets and the operator's password: readable by the owner only.
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, endpointsFile(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("Could not write {}", endpointsFile(), e);
        }
    }

    private synchronized void registerShutdownHook() {
        if (shutdownHook != null) {
            return;
        }
        shutdownHook = new Thread(this::stopAtJvmExit, "orderflow-infra-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook finds the servers stopped and returns.
        }
        shutdownHook = null;
    }

    /**
     * JVM shutdown hooks run in parallel, Spring Boot's (which closes the contexts) among them. Stopping at once
     * would pull the database and Kafka from under beans that are still closing, so wait until the contexts have
     * released this instance, but not for ever: a context without a shutdown hook never will.
     */
    private void stopAtJvmExit() {
        long deadline = System.nanoTime() + HOOK_WAIT_FOR_CONTEXTS.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (!running || leases == 0) {
                    break;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
        }
        stop();
    }

    private static void startThread(String name, Runnable runnable) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        thread.start();
    }
}
