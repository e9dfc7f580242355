package io.orderflow.connect;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Applies the repository's connector files ({@link ConnectorFile#all()}) to the Kafka Connect cluster at
 * {@code orderflow.connect.url} once the application is ready: the embedded worker of the default run, or an external
 * cluster, which gets the same files. It creates a missing connector and updates one whose configuration differs
 * ({@code PUT /connectors/{name}/config}); a connector that exists only in the cluster is left alone.
 *
 * <p>It runs on a thread of its own and waits for the cluster as long as {@code orderflow.connect.start-timeout}
 * (the embedded worker needs some seconds to start): orders are served meanwhile, since Connect only moves data
 * beside the order flow. What it did, per connector, is logged and shown in the dashboard's Kafka view.
 */
@Component
@ConditionalOnExpression("!'${orderflow.connect.url:}'.isBlank()")
public class ConnectorInstaller implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorInstaller.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    /** Where one connector file stands. */
    public enum State { WAITING_FOR_CONNECT, CREATED, UPDATED, REFUSED, FAILED, SKIPPED }

    /** What became of one file, and when. */
    public record Outcome(State state, String message, Instant at) {
    }

    private final KafkaConnectClient client;
    private final boolean apply;
    private final Duration startTimeout;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private volatile Thread worker;

    @Autowired
    ConnectorInstaller(ConnectProperties settings) {
        this(settings.url(), settings.applyConnectors(), settings.startTimeout());
    }

    ConnectorInstaller(String url, boolean apply, Duration startTimeout) {
        this.client = new KafkaConnectClient(url);
        this.apply = apply;
        this.startTimeout = startTimeout;
    }

    /** The Connect cluster this application talks to. */
    public KafkaConnectClient client() {
        return client;
    }

    /** Per connector file, what applying it did (or that it waits for the cluster). */
    public Map<String, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    @EventListener(ApplicationReadyEvent.class)
    void applyWhenReady() {
        List<ConnectorFile> files = ConnectorFile.all();
        if (!apply) {
            files.forEach(file -> outcomes.put(file.name(), new Outcome(State.SKIPPED,
                    "orderflow.connect.apply-connectors is false", Instant.now())));
            LOG.info("Not applying {} connector file(s) to Kafka Connect at {}: orderflow.connect.apply-connectors "
                    + "is false", files.size(), client.baseUrl());
            return;
        }
        files.forEach(file -> outcomes.put(file.name(), new Outcome(State.WAITING_FOR_CONNECT,
                "waiting for Kafka Connect at " + client.baseUrl(), Instant.now())));
        Thread thread = new Thread(() -> install(files), "connector-installer");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    /** Waits for the cluster, then applies each file; a file that fails does not keep the others from applying. */
    void install(List<ConnectorFile> files) {
        long started = System.nanoTime();
        long deadline = started + startTimeout.toNanos();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        while (!client.isReachable()) {
            long now = System.nanoTime();
            if (now > deadline) {
                String message = "Kafka Connect at " + client.baseUrl() + " did not answer within " + startTimeout
                        + "; the connectors were not applied (they are applied at the next start)";
                LOG.error(message);
                files.forEach(file -> outcomes.put(file.name(), new Outcome(State.FAILED, message, Instant.now())));
                return;
            }
            if (now > nextProgress) {
                LOG.info("Waiting for Kafka Connect at {} ({} s so far)", client.baseUrl(),
                        Duration.ofNanos(now - started).toSeconds());
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            if (!pause()) {
                return;
            }
        }
        Map<String, Outcome> applied = new LinkedHashMap<>();
        for (ConnectorFile file : files) {
            Outcome outcome = applyOne(file);
            outcomes.put(file.name(), outcome);
            applied.put(file.name(), outcome);
        }
        LOG.info("Kafka Connect at {}: {} connector file(s) applied in {} ms: {}", client.baseUrl(), files.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), applied.entrySet().stream()
                        .map(entry -> entry.getKey() + " " + entry.getValue().state()).toList());
    }

    private Outcome applyOne(ConnectorFile file) {
        // A worker that has just joined its group may still be rebalancing (409); that passes in seconds.
        for (int attempt = 1; ; attempt++) {
            try {
                KafkaConnectClient.Applied applied = client.apply(file);
                return new Outcome(applied == KafkaConnectClient.Applied.CREATED ? State.CREATED : State.UPDATED,
                        file.connectorClass(), Instant.now());
            } catch (IllegalArgumentException refused) {
                LOG.error("{}", refused.getMessage());
                return new Outcome(State.REFUSED, refused.getMessage(), Instant.now());
            } catch (IOException e) {
                if (attempt >= 20 || !pause()) {
                    LOG.error("Could not apply connector {} to Kafka Connect at {}: {}", file.name(),
                            client.baseUrl(), e.getMessage());
                    return new Outcome(State.FAILED, e.getMessage(), Instant.now());
                }
                LOG.debug("Applying connector {} failed ({}); trying again", file.name(), e.getMessage());
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(1_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void destroy() {
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
    }
}
