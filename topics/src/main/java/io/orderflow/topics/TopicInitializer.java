package io.orderflow.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings the cluster's topics in line with {@link Topics}, idempotently: creates missing topics, sets topic
 * configuration that differs ({@code incrementalAlterConfigs}, so settings not named in {@link Topics} are left
 * alone), and adds partitions to topics that have fewer. It never deletes anything, never removes partitions and
 * does not change the replication factor of an existing topic (that needs a reassignment); it reports those cases
 * as warnings.
 *
 * <p>As a Spring bean it runs while the context starts ({@link InitializingBean}), before any event processor.
 * The replication factor defaults to {@code min(3, brokers)}: the size of the embedded cluster, or for an external
 * cluster the brokers counted through describeCluster.
 */
public class TopicInitializer implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);

    private final String bootstrapServers;
    private int partitions = Topics.DEFAULT_PARTITIONS;
    private int replicationFactor;
    private int minInSyncReplicas;
    private Duration timeout = Duration.ofSeconds(60);
    private Map<String, Object> clientSettings = Map.of();
    private Mode mode = Mode.APPLY;

    /** What the initializer does when its Spring context starts. */
    public enum Mode {
        /** Create missing topics and bring the others in line: the topic step of an operator, or the embedded run. */
        APPLY,
        /**
         * Change nothing; refuse to start, naming every difference, unless the topics match their definitions: the
         * application against a cluster whose topics an operator or a job manages.
         */
        CHECK
    }

    /** An initializer for the cluster at {@code bootstrapServers}, with the defaults of {@link Topics}. */
    public TopicInitializer(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required");
        }
        this.bootstrapServers = bootstrapServers;
    }

    /** Partitions per topic (default {@value Topics#DEFAULT_PARTITIONS}). */
    public TopicInitializer withPartitions(int partitions) {
        this.partitions = partitions;
        return this;
    }

    /** Replication factor; 0 (the default) means {@code min(3, brokers in the cluster)}. */
    public TopicInitializer withReplicationFactor(int replicationFactor) {
        this.replicationFactor = replicationFactor;
        return this;
    }

    /** {@code min.insync.replicas}; 0 (the default) means 2 for a replication factor of 3 or more, else 1. */
    public TopicInitializer withMinInSyncReplicas(int minInSyncReplicas) {
        this.minInSyncReplicas = minInSyncReplicas;
        return this;
    }

    /**
     * Settings the admin client starts from (security protocol, TLS, SASL), before its own: the application passes
     * its shared Kafka client settings.
     */
    public TopicInitializer withClientSettings(Map<String, ?> settings) {
        this.clientSettings = Map.copyOf(settings);
        return this;
    }

    /** How long to wait for the cluster (default 60 s). */
    public TopicInitializer withTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Apply (the default) or only check, when the Spring context starts. */
    public TopicInitializer withMode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Applies the topics, or checks them ({@link #withMode}), when the Spring context starts. */
    @Override
    public void afterPropertiesSet() {
        if (mode == Mode.APPLY) {
            apply();
        } else {
            verify();
        }
    }

    /**
     * Checks that the cluster's topics match their definitions and changes nothing.
     *
     * @throws IllegalStateException naming every difference, if there is one, or if the cluster cannot be reached
     */
    public void verify() {
        long started = System.nanoTime();
        List<String> differences = check();
        if (!differences.isEmpty()) {
            throw new IllegalStateException("The Kafka topics at " + bootstrapServers + " do not match their "
                    + "definitions (Topics): " + String.join("; ", differences) + ". The application creates and "
                    + "changes no topic on this cluster: run the topic step first (java -jar orderflow.jar topics, "
                    + "with the same settings), or have the cluster's operator apply the definitions");
        }
        log.info("Kafka topics at {} match their definitions ({} ms)", bootstrapServers,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * The differences between the cluster's topics and their definitions, empty if none: missing topics, fewer or
     * more partitions, settings with another value, another replication factor. The replication factor expected is
     * the configured one, else the existing topics' own (a broker that is down at the moment does not make a
     * difference), else {@code min(3, brokers)}.
     */
    public List<String> check() {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig())) {
            Set<String> existing = await(admin.listTopics().names(), deadline);
            List<String> present = Topics.names().stream().filter(existing::contains).toList();
            Map<String, TopicDescription> descriptions = present.isEmpty() ? Map.of()
                    : await(admin.describeTopics(present).allTopicNames(), deadline);
            int rf = replicationFactor > 0 ? replicationFactor : descriptions.values().stream()
                    .mapToInt(description -> description.partitions().get(0).replicas().size()).max()
                    .orElseGet(() -> Topics.defaultReplicationFactor(
                            await(admin.describeCluster().nodes(), deadline).size()));
            int minIsr = minInSyncReplicas > 0 ? minInSyncReplicas : Topics.defaultMinInSyncReplicas(rf);
            Map<ConfigResource, Config> configs = present.isEmpty() ? Map.of()
                    : await(admin.describeConfigs(present.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all(), deadline);
            List<String> differences = new ArrayList<>();
            for (TopicDefinition topic : Topics.definitions(partitions, rf, minIsr)) {
                TopicDescription description = descriptions.get(topic.name());
                if (description == null) {
                    differences.add(topic.name() + " is missing");
                    continue;
                }
                if (description.partitions().size() != topic.partitions()) {
                    differences.add(topic.name() + " has " + description.partitions().size() + " partitions, not "
                            + topic.partitions());
                }
                int actualRf = description.partitions().get(0).replicas().size();
                if (actualRf != topic.replicationFactor()) {
                    differences.add(topic.name() + " has replication factor " + actualRf + ", not "
                            + topic.replicationFactor());
                }
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                for (AlterConfigOp op : differences(topic, config)) {
                    ConfigEntry actual = config == null ? null : config.get(op.configEntry().name());
                    differences.add(topic.name() + " has " + op.configEntry().name() + "="
                            + (actual == null ? "(unset)" : actual.value()) + ", not " + op.configEntry().value());
                }
            }
            return differences;
        }
    }

    /**
     * Applies {@link Topics} to the cluster and reports what changed.
     *
     * @throws IllegalStateException if the cluster cannot be reached or refuses a change within the timeout
     */
    public TopicChanges apply() {
        long settleDeadline = System.nanoTime() + ACL_SETTLE.toNanos();
        while (true) {
            try {
                return applyOnce();
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof AuthorizationException) || System.nanoTime() > settleDeadline) {
                    throw e;
                }
                // ACLs made a moment ago (a cluster just started) reach each broker on its own time.
                log.info("Kafka at {} refused the topic step ({}); trying again for up to {} s in case its ACLs have "
                        + "not reached every broker yet", bootstrapServers, e.getCause().getMessage(),
                        ACL_SETTLE.toSeconds());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** How long a refusal of the topic step's principal is taken for ACLs still on their way to every broker. */
    private static final Duration ACL_SETTLE = Duration.ofSeconds(15);

    private TopicChanges applyOnce() {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig())) {
            int brokers = await(admin.describeCluster().nodes(), deadline).size();
            int rf = replicationFactor > 0 ? replicationFactor : Topics.defaultReplicationFactor(brokers);
            int minIsr = minInSyncReplicas > 0 ? minInSyncReplicas : Topics.defaultMinInSyncReplicas(rf);
            List<TopicDefinition> wanted = Topics.definitions(partitions, rf, minIsr);

            Set<String> existing = await(admin.listTopics().names(), deadline);
            List<String> created = new ArrayList<>();
            List<TopicDefinition> toCheck = new ArrayList<>();
            for (TopicDefinition topic : wanted) {
                if (existing.contains(topic.name())) {
                    toCheck.add(topic);
                    continue;
                }
                try {
                    await(admin.createTopics(List.of(topic.toNewTopic())).all(), deadline);
                    created.add(topic.name());
                } catch (TopicCreatedMeanwhile e) {
                    // Another instance created it between listTopics and createTopics: check it like any other.
                    toCheck.add(topic);
                }
            }

            Map<String, List<String>> reconfigured = new LinkedHashMap<>();
            Map<String, Integer> expanded = new LinkedHashMap<>();
            List<String> unchanged = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            if (!toCheck.isEmpty()) {
                Map<String, TopicDescription> descriptions = await(admin.describeTopics(
                        toCheck.stream().map(TopicDefinition::name).toList()).allTopicNames(), deadline);
                Map<ConfigResource, Config> configs = await(admin.describeConfigs(toCheck.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList()).all(), deadline);
                for (TopicDefinition topic : toCheck) {
                    TopicDescription description = descriptions.get(topic.name());
                    Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                    boolean changed = false;

                    List<AlterConfigOp> ops = differences(topic, config);
                    if (!ops.isEmpty()) {
                        await(admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), ops)).all(), deadline);
                        reconfigured.put(topic.name(), ops.stream()
                                .map(op -> op.configEntry().name() + "=" + op.configEntry().value()).toList());
                        changed = true;
                    }

                    int actualPartitions = description.partitions().size();
                    if (actualPartitions < topic.partitions()) {
                        await(admin.createPartitions(Map.of(topic.name(),
                                NewPartitions.increaseTo(topic.partitions()))).all(), deadline);
                        expanded.put(topic.name(), topic.partitions());
                        changed = true;
                    } else if (actualPartitions > topic.partitions()) {
                        warnings.add(topic.name() + " has " + actualPartitions + " partitions, more than the "
                                + topic.partitions() + " defined; Kafka cannot remove partitions");
                    }

                    int actualRf = description.partitions().get(0).replicas().size();
                    if (actualRf != topic.replicationFactor()) {
                        warnings.add(topic.name() + " has replication factor " + actualRf + ", not "
                                + topic.replicationFactor() + "; changing it needs a partition reassignment");
                    }
                    if (!changed) {
                        unchanged.add(topic.name());
                    }
                }
            }
            TopicChanges changes = new TopicChanges(created, reconfigured, expanded, unchanged, warnings);
            if (!changes.isNoOp()) {
                awaitVisible(admin, wanted.stream().filter(t -> !unchanged.contains(t.name())).toList(), deadline);
            }
            logChanges(changes, rf, minIsr, brokers, Duration.ofNanos(System.nanoTime() - started));
            return changes;
        }
    }

    /**
     * The AdminClient's calls return once the controller has recorded a change; brokers apply it to what they
     * answer a moment later. Waiting until a describe shows every change (topics with leaders for all partitions,
     * the configuration set) means a client started next, or the next {@link #apply()}, sees the new state.
     */
    private void awaitVisible(Admin admin, List<TopicDefinition> topics, long deadline) {
        List<String> names = topics.stream().map(TopicDefinition::name).toList();
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        while (true) {
            try {
                long remaining = Math.max(1, deadline - System.nanoTime());
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(remaining, TimeUnit.NANOSECONDS);
                Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                        .get(remaining, TimeUnit.NANOSECONDS);
                boolean visible = topics.stream().allMatch(topic -> {
                    TopicDescription description = descriptions.get(topic.name());
                    return description.partitions().size() >= topic.partitions()
                            && description.partitions().stream().allMatch(p -> p.leader() != null)
                            && differences(topic, configs.get(new ConfigResource(ConfigResource.Type.TOPIC,
                            topic.name()))).isEmpty();
                });
                if (visible) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topics " + names + ": " + e.getCause(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                // Reported below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic changes", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic changes at " + bootstrapServers + " were not visible within "
                        + timeout.toSeconds() + " s: " + names);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic changes", e);
            }
        }
    }

    private static List<AlterConfigOp> differences(TopicDefinition topic, Config actual) {
        List<AlterConfigOp> ops = new ArrayList<>();
        topic.configs().forEach((name, value) -> {
            ConfigEntry entry = actual == null ? null : actual.get(name);
            if (entry == null || !value.equals(entry.value())) {
                ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
            }
        });
        return ops;
    }

    private void logChanges(TopicChanges changes, int rf, int minIsr, int brokers, Duration took) {
        if (changes.isNoOp()) {
            log.info("Kafka topics at {} already as defined ({} topics, replication factor {}, min.insync.replicas "
                    + "{}; {} ms)", bootstrapServers, changes.unchanged().size(), rf, minIsr, took.toMillis());
        } else {
            log.info("Kafka topics at {} applied in {} ms ({} broker(s), replication factor {}, min.insync.replicas "
                            + "{}): created {}, reconfigured {}, partitions added {}, unchanged {}", bootstrapServers,
                    took.toMillis(), brokers, rf, minIsr, changes.created(), changes.reconfigured(),
                    changes.partitionsAdded(), changes.unchanged());
        }
        changes.warnings().forEach(warning -> log.warn("Kafka topic: {}", warning));
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.putAll(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "orderflow-topic-initializer");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                timeout.toMillis()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(15_000, timeout.toMillis()));
        return config;
    }

    private <T> T await(KafkaFuture<T> future, long deadline) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new TopicCreatedMeanwhile();
            }
            throw new IllegalStateException("Could not apply Kafka topics at " + bootstrapServers + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s while applying topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while applying Kafka topics", e);
        }
    }

    /** Signals a TopicExistsException from createTopics: a concurrent creator won the race. */
    private static final class TopicCreatedMeanwhile extends RuntimeException {
        TopicCreatedMeanwhile() {
            super(null, null, false, false);
        }
    }

    /**
     * What one {@link #apply()} did.
     *
     * @param created         topics that were missing and were created
     * @param reconfigured    topics whose configuration was changed, with the settings set
     * @param partitionsAdded topics that had fewer partitions, with their new count
     * @param unchanged       topics already as defined
     * @param warnings        differences this initializer does not repair (more partitions, another RF)
     */
    public record TopicChanges(List<String> created, Map<String, List<String>> reconfigured,
                               Map<String, Integer> partitionsAdded, List<String> unchanged,
                               List<String> warnings) {

        /** Copies the collections. */
        public TopicChanges {
            created = List.copyOf(created);
            reconfigured = Map.copyOf(reconfigured);
            partitionsAdded = Map.copyOf(partitionsAdded);
            unchanged = List.copyOf(unchanged);
            warnings = List.copyOf(warnings);
        }

        /** Whether nothing had to be changed. */
        public boolean isNoOp() {
            return created.isEmpty() && reconfigured.isEmpty() && partitionsAdded.isEmpty();
        }
    }
}
