package io.orderflow.infra.auth;

import io.orderflow.infra.support.LocalPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The OpenID Connect issuer of the default run: Spring Authorization Server in a small web context of its own, on
 * its own port, so that the application trusts it exactly as it would trust any external issuer (it knows only its
 * URL). It keeps its signing key, client secrets and the operator's password under {@code <ORDERFLOW_HOME>/auth}
 * ({@link IssuerSecrets}).
 *
 * <p>Its clients:
 * <ul>
 *   <li>{@value #OPERATOR_CLIENT} (client credentials): operator tokens for scripts and tools;</li>
 *   <li>{@value #SHOP_CLIENT} (client credentials): the shop's backend, which registers customers and acts for
 *       them ({@code SERVICE});</li>
 *   <li>{@value #METRICS_CLIENT} (client credentials): a Prometheus server, which may read the metrics and
 *       nothing else ({@code METRICS});</li>
 *   <li>{@value #DEV_CUSTOMERS_CLIENT} (client credentials with a {@code customer_id} parameter): a token of the
 *       given customer, for scripts and tests. Development only: an issuer in production signs customers in and
 *       puts their customer id in the token itself;</li>
 *   <li>{@value #DASHBOARD_CLIENT} (authorization code with PKCE): the dashboard, which signs the
 *       {@value #OPERATOR_USER} user in with a browser.</li>
 * </ul>
 * Every access token is for the audience {@value #AUDIENCE}, lives {@link #TOKEN_LIFETIME}, and names its roles in
 * the claim {@value #ROLES_CLAIM}.
 */
public final class EmbeddedIssuer implements AutoCloseable {

    public static final String OPERATOR_CLIENT = "orderflow-operator";
    public static final String SHOP_CLIENT = "orderflow-shop";
    public static final String METRICS_CLIENT = "orderflow-metrics";
    public static final String DEV_CUSTOMERS_CLIENT = "orderflow-dev-customers";
    public static final String DASHBOARD_CLIENT = "orderflow-dashboard";
    public static final String OPERATOR_USER = "operator";
    public static final String AUDIENCE = "orderflow-api";
    public static final String ROLES_CLAIM = "roles";
    public static final String CUSTOMER_CLAIM = "customer_id";
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    /** The path the dashboard's client answers the sign-in on, under the application's URL. */
    public static final String DASHBOARD_REDIRECT_PATH = "/login/oauth2/code/orderflow";
    static final String PORT_FILE = "issuer.port";
    static final List<String> CONFIDENTIAL_CLIENTS = List.of(OPERATOR_CLIENT, SHOP_CLIENT, DEV_CUSTOMERS_CLIENT,
            DASHBOARD_CLIENT, METRICS_CLIENT);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedIssuer.class);

    private final int port;
    private final IssuerSecrets secrets;
    private AnnotationConfigServletWebServerApplicationContext context;

    /**
     * @param directory where its secrets are kept
     * @param port      0 for the one of the last run in this directory, or a free one at the first
     */
    public EmbeddedIssuer(Path directory, int port) {
        this.secrets = IssuerSecrets.loadOrCreate(directory);
        this.port = port != 0 ? port : keptPort(directory.resolve(PORT_FILE));
    }

    /**
     * An issuer's address is part of every token it issued (the {@code iss} claim): the port is chosen at the first
     * start and kept, so that tokens and signed-in sessions outlive a restart. Only if another process has taken it
     * meanwhile is a new one chosen (tokens issued before are then refused, and must be got again).
     */
    private static int keptPort(Path file) {
        try {
            if (Files.exists(file)) {
                int kept = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (LocalPorts.isFree(kept)) {
                    return kept;
                }
                log.warn("The embedded issuer's port {} is taken by another process; choosing another, so tokens "
                        + "issued before are refused and must be got again", kept);
            }
            int chosen = LocalPorts.pickFree();
            Files.writeString(file, Integer.toString(chosen), StandardCharsets.UTF_8);
            return chosen;
        } catch (IOException | NumberFormatException e) {
            log.warn("Could not keep the embedded issuer's port in {}: {}", file, e.toString());
            return LocalPorts.pickFree();
        }
    }

    public synchronized EmbeddedIssuer start() {
        if (context != null) {
            return this;
        }
        long started = System.nanoTime();
        AnnotationConfigServletWebServerApplicationContext issuer = new AnnotationConfigServletWebServerApplicationContext();
        issuer.setDisplayName("orderflow embedded issuer");
        issuer.registerBean(IssuerSettings.class, () -> new IssuerSettings(issuerUrl(), port, secrets));
        issuer.register(IssuerConfiguration.class, IssuerConfiguration.WebSecurity.class);
        issuer.refresh();
        context = issuer;
        log.info("Embedded OpenID Connect issuer at {} (started in {} ms); token endpoint {}", issuerUrl(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), tokenEndpoint());
        return this;
    }

    public String issuerUrl() {
        return "http://" + LocalPorts.LOOPBACK + ":" + port;
    }

    public String tokenEndpoint() {
        return issuerUrl() + "/oauth2/token";
    }

    public int port() {
        return port;
    }

    public IssuerSecrets secrets() {
        return secrets;
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
            log.info("Embedded issuer stopped");
        }
    }

    /** What the issuer's context is made from. */
    record IssuerSettings(String issuerUrl, int port, IssuerSecrets secrets) {
    }
}
