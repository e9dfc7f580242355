package io.orderflow.infra;

import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.validation.MessageInterpolatorFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * What the development launcher starts, and where: the {@code orderflow.*} settings of the embedded PostgreSQL, Kafka
 * brokers, OpenID Connect issuer, payment provider simulator, SMTP server and Kafka Connect worker (ADR 0003, 0017).
 *
 * <p>The launcher reads them before any Spring context exists (an environment post-processor), so they are bound with
 * {@link #bind(ConfigurableEnvironment)} rather than as a bean; the stand-ins' auto-configurations bind the same type as
 * a bean. Other settings under the same prefixes ({@code orderflow.kafka.bootstrap-servers},
 * {@code orderflow.payment.provider-url}, {@code orderflow.connect.url}, ...) belong to the modules that use them, and
 * are declared there.
 *
 * @param home     Where the development run keeps its data (database, brokers, keys, endpoints file); in production the
 *                 address router's state directory.
 * @param embedded The development launcher as a whole.
 * @param postgres The embedded PostgreSQL server.
 * @param kafka    The embedded Kafka brokers.
 * @param auth     The embedded OpenID Connect issuer.
 * @param payment  The payment provider simulator.
 * @param mail     The embedded SMTP server.
 * @param connect  The embedded Kafka Connect worker.
 */
@ConfigurationProperties("orderflow")
@Validated
public record EmbeddedInfrastructureProperties(
        @DefaultValue("./.orderflow") @NotBlank String home,
        @DefaultValue @Valid Embedded embedded,
        @DefaultValue @Valid Postgres postgres,
        @DefaultValue @Valid Kafka kafka,
        @DefaultValue @Valid Auth auth,
        @DefaultValue @Valid Payment payment,
        @DefaultValue @Valid Mail mail,
        @DefaultValue @Valid Connect connect) {

    /** The highest TCP port. */
    private static final int MAX_PORT = 65535;

    /**
     * The development launcher as a whole.
     *
     * @param enabled    Whether the development launcher may start anything; false (the prod profile) starts nothing
     *                   and every service must be named.
     * @param watchStdin Whether the stand-alone launcher (EmbeddedInfrastructureMain) stops when its standard input
     *                   ends.
     */
    public record Embedded(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean watchStdin) {
    }

    /**
     * The embedded PostgreSQL, started unless spring.datasource.url names a database.
     *
     * @param port            Port of the embedded PostgreSQL server; 0 picks a free one.
     * @param database        Name of the application's database in the embedded PostgreSQL server.
     * @param walArchive      Whether the embedded PostgreSQL archives its write-ahead log as it is written, so that
     *                        base backups can be taken and restored to the last committed transaction.
     * @param backupDirectory Where the embedded PostgreSQL's WAL archive and base backups go; unset:
     *                        postgres-backup under orderflow.home.
     */
    public record Postgres(@DefaultValue("0") @Min(0) @Max(MAX_PORT) int port,
                           @DefaultValue(EmbeddedPostgresServer.DEFAULT_DATABASE) @NotBlank String database,
                           @DefaultValue("false") boolean walArchive,
                           String backupDirectory) {
    }

    /**
     * The embedded Kafka cluster, started unless bootstrap servers are named.
     *
     * @param brokers Number of embedded Kafka brokers.
     * @param port    Port of the first embedded Kafka broker (the others follow it); 0 picks free ones.
     * @param secured Whether the embedded brokers require SASL over TLS and authorize by ACLs; unset: secured, unless
     *                their directory was made in plaintext by an earlier release.
     */
    public record Kafka(@DefaultValue("1") @Min(1) int brokers,
                        @DefaultValue("0") @Min(0) @Max(MAX_PORT) int port,
                        Boolean secured) {
    }

    /**
     * The embedded OpenID Connect issuer, started unless spring.security.oauth2.resourceserver.jwt.issuer-uri names
     * one.
     *
     * @param port Port of the embedded OpenID Connect issuer; 0 picks a free one.
     */
    public record Auth(@DefaultValue("0") @Min(0) @Max(MAX_PORT) int port) {
    }

    /**
     * The development run's side of orderflow.payment.
     *
     * @param simulator The payment provider simulator.
     */
    public record Payment(@DefaultValue @Valid Simulator simulator) {
    }

    /**
     * The payment provider simulator, started unless orderflow.payment.provider-url names a provider.
     *
     * @param enabled    Whether the payment provider simulator may start; unset: only when PostgreSQL and Kafka are
     *                   both embedded.
     * @param port       Port of the payment provider simulator; 0 picks a free one.
     * @param datasource The payment provider simulator's own database connection (the development run sets it); unset:
     *                   the application's.
     */
    public record Simulator(Boolean enabled,
                            @DefaultValue("0") @Min(0) @Max(MAX_PORT) int port,
                            @DefaultValue SimulatorDatabase datasource) {
    }

    /**
     * The payment provider simulator's database connection.
     *
     * @param url      JDBC URL of the payment provider simulator's database connection.
     * @param username Database user of the payment provider simulator.
     * @param password Password of the payment provider simulator's database user.
     */
    public record SimulatorDatabase(String url, String username, String password) {
    }

    /**
     * The development run's side of mail.
     *
     * @param smtpServer The embedded SMTP server.
     */
    public record Mail(@DefaultValue @Valid SmtpServer smtpServer) {
    }

    /**
     * The embedded SMTP server, which keeps mail and delivers none; started unless spring.mail.host names a server.
     *
     * @param enabled Whether the embedded SMTP server may start; unset: only when PostgreSQL and Kafka are both
     *                embedded.
     * @param port    Port of the embedded SMTP server; 0 picks a free one.
     */
    public record SmtpServer(Boolean enabled, @DefaultValue("0") @Min(0) @Max(MAX_PORT) int port) {
    }

    /**
     * The embedded Kafka Connect worker, started in the embedded mode unless orderflow.connect.url names a Connect
     * cluster.
     *
     * @param embedded Whether the embedded mode starts a Kafka Connect worker of its own.
     * @param port     REST port of the embedded Kafka Connect worker; 0 picks a free one.
     * @param database The database role the connectors use (the development run sets it); unset: the application's.
     */
    public record Connect(@DefaultValue("true") boolean embedded,
                          @DefaultValue("0") @Min(0) @Max(MAX_PORT) int port,
                          @DefaultValue ConnectDatabase database) {
    }

    /**
     * The database login of the Kafka Connect connectors.
     *
     * @param username Database user of the Kafka Connect connectors.
     * @param password Password of the Kafka Connect connectors' database user.
     */
    public record ConnectDatabase(String username, String password) {
    }

    /**
     * Binds and validates the settings from {@code environment} (its property sources, placeholders resolved, environment
     * variables in Spring's relaxed form), as a bean of this type would be bound.
     *
     * @throws org.springframework.boot.context.properties.bind.BindException naming the refused key, when a value cannot
     *                                                                       be converted or breaks a rule above
     */
    public static EmbeddedInfrastructureProperties bind(ConfigurableEnvironment environment) {
        return bind(environment, "orderflow", EmbeddedInfrastructureProperties.class);
    }

    /** Binds and validates the settings under {@code prefix} as {@code type}, its defaults where nothing is set. */
    static <T> T bind(ConfigurableEnvironment environment, String prefix, Class<T> type) {
        MessageInterpolatorFactory interpolator = new MessageInterpolatorFactory();
        try (ValidatorFactory validators = Validation.byDefaultProvider().configure()
                .messageInterpolator(interpolator.getObject()).buildValidatorFactory()) {
            return Binder.get(environment).bindOrCreate(prefix, Bindable.of(type),
                    new ValidationBindHandler(new SpringValidatorAdapter(validators.getValidator())));
        }
    }
}
