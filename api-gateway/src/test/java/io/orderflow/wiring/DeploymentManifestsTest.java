package io.orderflow.wiring;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The deployment manifests (deploy/kubernetes, deploy/compose; ADR 0043) say what an operator relies on: every
 * manifest parses with the Kubernetes model (the operators' custom resources as generic resources) and has no field
 * the model does not know, each kustomization lists exactly its folder's files, the probes ask endpoints the
 * application serves on a port the container declares, every setting the production jar requires
 * ({@link ExternalServicesCheck#REQUIREMENTS}) is set, no secret is written into a file, the disruption budget
 * covers the application's pods, the pods have time to shut down gracefully, resources are bounded, and nothing runs
 * as root. No cluster and no Docker daemon needed: these are the files as committed.
 */
class DeploymentManifestsTest {

    /** The repository's deploy folder; another one (a copy with a rule broken on purpose) by system property. */
    private static final Path DEPLOY = Path.of(System.getProperty("orderflow.deploy.directory", "../deploy"));
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static final Path OVERLAY = KUBERNETES.resolve("overlays").resolve("production");
    private static final Path COMPOSE_DIRECTORY = DEPLOY.resolve("compose");
    private static final Path COMPOSE = COMPOSE_DIRECTORY.resolve("compose.yaml");
    private static final Path PROMTOOL = Path.of(System.getProperty("promtool.binary", "/usr/bin/promtool"));

    /** The API groups of the operators whose custom resources the manifests use; anything else must be built in. */
    private static final Set<String> OPERATOR_GROUPS = Set.of("kafka.strimzi.io", "postgresql.cnpg.io",
            "barmancloud.cnpg.io", "monitoring.coreos.com");

    /** Words of a setting's name that say it holds a secret; a name ending in _KEY does too (MASTER_KEY). */
    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "PASSWD", "SECRET", "SECRETS", "JAAS",
            "CREDENTIAL", "CREDENTIALS", "TOKEN");
    /** A value that carries a password inline (a JAAS line, a URL with a password parameter). */
    private static final Pattern INLINE_PASSWORD = Pattern.compile("(?i)password\\s*=\\s*\\S");

    private static final String LIVENESS = "/actuator/health/liveness";
    private static final String READINESS = "/actuator/health/readiness";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** One YAML document of a manifest file, as written and as the Kubernetes model reads it. */
    record Manifest(Path file, int index, Map<String, Object> raw, KubernetesResource resource) {

        String kind() {
            return String.valueOf(raw.get("kind"));
        }

        String name() {
            return resource instanceof HasMetadata meta && meta.getMetadata() != null
                    ? meta.getMetadata().getName() : null;
        }

        @Override
        public String toString() {
            return KUBERNETES.relativize(file) + "#" + index + " (" + kind() + " " + name() + ")";
        }
    }

    /** The resources the kustomizations apply, and the patches they apply to them. */
    private static List<Manifest> resources;
    private static List<Manifest> patches;

    @BeforeAll
    static void readManifests() throws IOException {
        resources = new ArrayList<>();
        patches = new ArrayList<>();
        for (Path directory : kustomizationDirectories()) {
            Map<String, Object> kustomization = yaml(directory.resolve("kustomization.yaml"));
            for (String entry : strings(kustomization.get("resources"))) {
                Path file = directory.resolve(entry).normalize();
                if (Files.isRegularFile(file)) {
                    resources.addAll(parse(file));
                }
            }
            for (String file : patchFiles(kustomization)) {
                patches.addAll(parse(directory.resolve(file).normalize()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The files and the model

    @Test
    void everyKustomizationListsExactlyTheFilesOfItsFolder() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(KUBERNETES)) {
            for (Path directory : walk.filter(Files::isDirectory).toList()) {
                boolean hasManifests = yamlFiles(directory).stream()
                        .anyMatch(file -> !file.getFileName().toString().equals("kustomization.yaml"));
                if (hasManifests && !Files.isRegularFile(directory.resolve("kustomization.yaml"))) {
                    problems.add(directory + " has manifests but no kustomization.yaml");
                }
            }
        }
        for (Path directory : kustomizationDirectories()) {
            Map<String, Object> kustomization = yaml(directory.resolve("kustomization.yaml"));
            Set<Path> listed = new LinkedHashSet<>();
            for (String entry : strings(kustomization.get("resources"))) {
                Path target = directory.resolve(entry).normalize();
                if (Files.isRegularFile(target)) {
                    listed.add(target);
                } else if (!Files.isRegularFile(target.resolve("kustomization.yaml"))) {
                    problems.add(directory + " lists " + entry + ", which is neither a file nor a kustomization");
                }
            }
            for (String entry : patchFiles(kustomization)) {
                Path target = directory.resolve(entry).normalize();
                if (Files.isRegularFile(target)) {
                    listed.add(target);
                } else {
                    problems.add(directory + " patches with " + entry + ", which does not exist");
                }
            }
            for (Path file : yamlFiles(directory)) {
                if (!file.getFileName().toString().equals("kustomization.yaml") && !listed.contains(file.normalize())) {
                    problems.add(file + " is in no list of " + directory.resolve("kustomization.yaml"));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theProductionOverlayAppliesEveryFolder() throws IOException {
        Set<Path> reached = new LinkedHashSet<>();
        collectKustomizations(OVERLAY, reached);
        Set<Path> all = kustomizationDirectories().stream().map(Path::normalize)
                .collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(reached).as("folders the production overlay applies").containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void everyManifestParsesIntoTheKubernetesModelWithoutUnknownFields() {
        assertThat(resources).as("manifests").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : concat(resources, patches)) {
            String apiVersion = String.valueOf(manifest.raw().get("apiVersion"));
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (manifest.name() == null || manifest.name().isBlank()) {
                problems.add(manifest + ": no metadata.name");
            }
            if (OPERATOR_GROUPS.contains(group)) {
                if (!(manifest.resource() instanceof GenericKubernetesResource)) {
                    problems.add(manifest + ": an operator's resource read as " + manifest.resource().getClass());
                }
                continue;
            }
            if (manifest.resource() instanceof GenericKubernetesResource) {
                problems.add(manifest + ": " + apiVersion + " " + manifest.kind()
                        + " is neither a Kubernetes type nor one of the operators' (" + OPERATOR_GROUPS + ")");
                continue;
            }
            unknownFields(manifest.resource(), manifest.kind(), problems, manifest.toString());
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperatorResourceNamesItsKindAndCluster() {
        Map<String, Set<String>> kinds = new LinkedHashMap<>();
        for (Manifest manifest : resources) {
            if (manifest.resource() instanceof GenericKubernetesResource) {
                kinds.computeIfAbsent(manifest.kind(), kind -> new TreeSet<>()).add(manifest.name());
            }
        }
        assertThat(kinds).containsKeys("Kafka", "KafkaNodePool", "KafkaUser", "Cluster", "ObjectStore",
                "ScheduledBackup");
        String kafka = single(kinds.get("Kafka"));
        String cluster = single(kinds.get("Cluster"));
        for (Manifest manifest : resources) {
            Map<String, Object> spec = map(manifest.raw().get("spec"));
            switch (manifest.kind()) {
                case "KafkaNodePool", "KafkaUser" -> assertThat(map(map(manifest.raw().get("metadata"))
                        .get("labels")).get("strimzi.io/cluster")).as(manifest.toString()).isEqualTo(kafka);
                case "ScheduledBackup" -> assertThat(map(spec.get("cluster")).get("name")).as(manifest.toString())
                        .isEqualTo(cluster);
                default -> {
                }
            }
        }
        // The plugin's object store that the cluster archives to is one of these manifests.
        Map<String, Object> clusterSpec = spec(only("Cluster"));
        List<String> stores = listOfMaps(clusterSpec.get("plugins")).stream()
                .map(plugin -> String.valueOf(map(plugin.get("parameters")).get("barmanObjectName"))).toList();
        assertThat(stores).containsExactlyElementsOf(kinds.get("ObjectStore"));
    }

    @Test
    void theTopicsAreTheTopicStepsAndNoKafkaTopicResourceOwnsThem() {
        // ADR 0030: the topics module defines them, the step applies them; a KafkaTopic would be a second owner.
        assertThat(resources).noneMatch(manifest -> manifest.kind().equals("KafkaTopic"));
        assertThat(map(spec(only("Kafka")).get("entityOperator"))).doesNotContainKey("topicOperator");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The application's pods

    @Test
    void theProbesAskEndpointsTheApplicationServesOnADeclaredPort() {
        Map<String, Object> application = applicationYaml();
        assertThat(path(application, "management.endpoint.health.probes.enabled")).as("probes enabled in "
                + "application.yml").isEqualTo(Boolean.TRUE);
        assertThat(path(application, "management.server.port")).as("the actuator shares the API's port").isNull();
        assertThat(Optional.ofNullable(path(application, "management.endpoints.web.base-path")).orElse("/actuator"))
                .isEqualTo("/actuator");
        assertThat(String.valueOf(path(application, "management.endpoints.web.exposure.include"))).contains("health");

        Container container = applicationContainer();
        assertThat(container.getStartupProbe()).as("startup probe").isNotNull();
        assertThat(probePath(container.getStartupProbe())).isEqualTo(LIVENESS);
        assertThat(probePath(container.getLivenessProbe())).isEqualTo(LIVENESS);
        assertThat(probePath(container.getReadinessProbe())).isEqualTo(READINESS);

        int serverPort = ((Number) path(application, "server.port")).intValue();
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe())) {
            ContainerPort port = declaredPort(container, probe.getHttpGet().getPort());
            assertThat(port.getContainerPort()).as("the probe's port is the application's (server.port)")
                    .isEqualTo(serverPort);
        }
    }

    @Test
    void theApplicationListensOnThePodsAddress() {
        // Its default is the loopback, which neither the kubelet's probes nor the Service reach.
        assertThat(setting(applicationContainer(), "ORDERFLOW_BIND_ADDRESS")).contains("0.0.0.0");
    }

    @Test
    void everySettingTheProductionJarRequiresIsSet() {
        Container container = applicationContainer();
        for (ExternalServicesCheck.Requirement requirement : ExternalServicesCheck.REQUIREMENTS) {
            assertThat(setting(container, requirement.variable())).as(requirement.variable() + " ("
                    + requirement.service() + ") on the application's container").isPresent();
        }
        // The topic step needs the brokers alone (ExternalServicesCheck skips the rest for it).
        assertThat(setting(topicStepContainer(), "KAFKA_BOOTSTRAP_SERVERS")).isPresent();
    }

    @Test
    void eachInstanceIsNamedAfterItsPod() {
        EnvVar instance = env(applicationContainer(), "ORDERFLOW_INSTANCE_ID")
                .orElseThrow(() -> new AssertionError("ORDERFLOW_INSTANCE_ID is not set"));
        assertThat(instance.getValueFrom()).isNotNull();
        assertThat(instance.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    }

    @Test
    void theDisruptionBudgetAndTheServiceCoverTheApplicationsPodsOnly() {
        Deployment deployment = only(Deployment.class);
        Map<String, String> applicationPods = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> topicStepPods = only(Job.class).getSpec().getTemplate().getMetadata().getLabels();
        assertThat(selects(deployment.getSpec().getSelector(), applicationPods)).isTrue();

        PodDisruptionBudget budget = only(PodDisruptionBudget.class);
        assertThat(selects(budget.getSpec().getSelector(), applicationPods)).as("the budget selects the pods").isTrue();
        assertThat(selects(budget.getSpec().getSelector(), topicStepPods)).as("nor the topic step's").isFalse();
        IntOrString minAvailable = budget.getSpec().getMinAvailable();
        assertThat(minAvailable).as("minAvailable").isNotNull();
        assertThat(minAvailable.getIntVal()).isGreaterThanOrEqualTo(1)
                .isLessThan(deployment.getSpec().getReplicas());
        for (Manifest patch : patches) {
            if (patch.resource() instanceof Deployment patched && patched.getSpec().getReplicas() != null) {
                assertThat(minAvailable.getIntVal()).as("budget against " + patch).isLessThan(
                        patched.getSpec().getReplicas());
            }
        }

        Service service = only(Service.class);
        LabelSelector serviceSelector = new LabelSelector(List.of(), service.getSpec().getSelector());
        assertThat(selects(serviceSelector, applicationPods)).isTrue();
        assertThat(selects(serviceSelector, topicStepPods)).isFalse();
        for (var port : service.getSpec().getPorts()) {
            declaredPort(applicationContainer(), port.getTargetPort());
        }
    }

    @Test
    void thePodsHaveTimeToShutDownGracefully() {
        assertThat(path(applicationYaml(), "server.shutdown")).isEqualTo("graceful");
        PodSpec pod = only(Deployment.class).getSpec().getTemplate().getSpec();
        Container container = applicationContainer();

        String timeout = setting(container, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")
                .orElseThrow(() -> new AssertionError("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE is not set: "
                        + "say how long Boot waits, rather than rely on its default"));
        long shutdownSeconds = duration(timeout).toSeconds();
        assertThat(container.getLifecycle()).as("a preStop pause, so the endpoints drop the pod first").isNotNull();
        long preStopSeconds = preStopSeconds(container);
        assertThat(preStopSeconds).isPositive();

        assertThat(pod.getTerminationGracePeriodSeconds()).as("terminationGracePeriodSeconds beyond the preStop "
                + "pause (" + preStopSeconds + " s) and the shutdown phase (" + shutdownSeconds + " s)")
                .isGreaterThan(preStopSeconds + shutdownSeconds);
    }

    @Test
    void everyContainerHasResourceRequestsAndLimits() {
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : resources) {
            for (Container container : containers(manifest)) {
                Map<String, Quantity> requests = container.getResources() == null ? Map.of()
                        : Optional.ofNullable(container.getResources().getRequests()).orElse(Map.of());
                Map<String, Quantity> limits = container.getResources() == null ? Map.of()
                        : Optional.ofNullable(container.getResources().getLimits()).orElse(Map.of());
                for (String resource : List.of("cpu", "memory")) {
                    if (!requests.containsKey(resource)) {
                        problems.add(manifest + " " + container.getName() + ": no " + resource + " request");
                    }
                    if (!limits.containsKey(resource)) {
                        problems.add(manifest + " " + container.getName() + ": no " + resource + " limit");
                    }
                }
                if (requests.containsKey("memory") && limits.containsKey("memory")
                        && Quantity.getAmountInBytes(requests.get("memory"))
                        .compareTo(Quantity.getAmountInBytes(limits.get("memory"))) > 0) {
                    problems.add(manifest + " " + container.getName() + ": memory request above its limit");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void nothingRunsAsRootOrWritesToTheImage() {
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : resources) {
            PodSpec pod = podSpec(manifest);
            if (pod == null) {
                continue;
            }
            PodSecurityContext podSecurity = pod.getSecurityContext();
            for (Container container : pod.getContainers()) {
                SecurityContext security = container.getSecurityContext();
                boolean nonRoot = Boolean.TRUE.equals(security != null && security.getRunAsNonRoot() != null
                        ? security.getRunAsNonRoot() : podSecurity == null ? null : podSecurity.getRunAsNonRoot());
                Long user = security != null && security.getRunAsUser() != null ? security.getRunAsUser()
                        : podSecurity == null ? null : podSecurity.getRunAsUser();
                String where = manifest + " " + container.getName();
                if (!nonRoot) {
                    problems.add(where + ": runAsNonRoot is not true");
                }
                if (user != null && user == 0) {
                    problems.add(where + ": runs as user 0");
                }
                if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
                    problems.add(where + ": the root file system is writable");
                }
                if (security == null || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                    problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                // With a read-only root, every place the JVM or orderflow writes must be a volume.
                Set<String> mounts = container.getVolumeMounts().stream().map(mount -> mount.getMountPath())
                        .collect(Collectors.toSet());
                if (!mounts.contains("/tmp")) {
                    problems.add(where + ": no volume at /tmp");
                }
                if (manifest.resource() instanceof Deployment) {
                    setting(container, "ORDERFLOW_HOME").filter(home -> !mounts.contains(home))
                            .ifPresent(home -> problems.add(where + ": ORDERFLOW_HOME " + home + " is no volume"));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Secrets

    @Test
    void noSecretIsCommittedAsAKubernetesSecret() {
        // Secrets are made out of band (docs/deployment.md), by the operators or by hand.
        assertThat(concat(resources, patches).stream().filter(manifest -> manifest.kind().equals("Secret"))
                .map(Manifest::toString)).as("Secrets in the manifests").isEmpty();
    }

    @Test
    void noContainerGetsASecretFromALiteralValue() {
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : resources) {
            for (Container container : containers(manifest)) {
                for (EnvVar variable : container.getEnv()) {
                    boolean literal = variable.getValue() != null;
                    if (literal && looksSecret(variable.getName())) {
                        problems.add(manifest + " " + container.getName() + ": " + variable.getName()
                                + " has a literal value");
                    }
                    if (literal && INLINE_PASSWORD.matcher(variable.getValue()).find()) {
                        problems.add(manifest + " " + container.getName() + ": " + variable.getName()
                                + " carries a password inline");
                    }
                    if (!literal && looksSecret(variable.getName())
                            && (variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null)) {
                        problems.add(manifest + " " + container.getName() + ": " + variable.getName()
                                + " does not come from a secret");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noConfigMapHoldsASecret() {
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : resources) {
            if (manifest.resource() instanceof ConfigMap configMap && configMap.getData() != null) {
                configMap.getData().forEach((key, value) -> {
                    if (looksSecret(key)) {
                        problems.add(manifest + ": " + key + " looks like a secret");
                    }
                    if (value != null && INLINE_PASSWORD.matcher(value).find()) {
                        problems.add(manifest + ": " + key + " carries a password inline");
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theTopicStepAloneHoldsTheAdminLoginAndEveryKafkaLoginIsAKafkaUser() {
        Set<String> users = resources.stream().filter(manifest -> manifest.kind().equals("KafkaUser"))
                .map(Manifest::name).collect(Collectors.toSet());
        assertThat(users).contains("orderflow-admin", "orderflow-app", "orderflow-router", "orderflow-connect");

        Container step = topicStepContainer();
        assertThat(step.getArgs()).containsExactly("topics");
        assertThat(secretOf(step, "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).map(SecretKeySelector::getName)
                .contains("orderflow-admin");

        Container application = applicationContainer();
        assertThat(secretOf(application, "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                .map(SecretKeySelector::getName).contains("orderflow-app");
        assertThat(secretOf(application, "ORDERFLOW_ADDRESS_ROUTING_SASL_JAAS_CONFIG"))
                .map(SecretKeySelector::getName).contains("orderflow-router");
        assertThat(application.getEnv()).noneMatch(variable -> variable.getValueFrom() != null
                && variable.getValueFrom().getSecretKeyRef() != null
                && variable.getValueFrom().getSecretKeyRef().getName().equals("orderflow-admin"));

        for (Manifest manifest : resources) {
            for (Container container : containers(manifest)) {
                for (EnvVar variable : container.getEnv()) {
                    SecretKeySelector secret = variable.getValueFrom() == null ? null
                            : variable.getValueFrom().getSecretKeyRef();
                    if (secret != null && secret.getKey().equals("sasl.jaas.config")) {
                        assertThat(users).as(manifest + " " + variable.getName() + " logs in as a KafkaUser")
                                .contains(secret.getName());
                    }
                }
            }
        }
    }

    @Test
    void theApplicationReachesTheClustersTheOperatorsMakeWithTheirCredentials() {
        Container application = applicationContainer();
        String kafka = only("Kafka").name();
        Map<String, Object> listener = listOfMaps(map(spec(only("Kafka")).get("kafka")).get("listeners")).stream()
                .filter(candidate -> Boolean.TRUE.equals(candidate.get("tls"))).findFirst()
                .orElseThrow(() -> new AssertionError("the Kafka cluster has no TLS listener"));
        assertThat(map(listener.get("authentication")).get("type")).isEqualTo("scram-sha-512");
        assertThat(setting(application, "KAFKA_BOOTSTRAP_SERVERS"))
                .contains(kafka + "-kafka-bootstrap:" + listener.get("port"));
        assertThat(setting(application, "SPRING_KAFKA_SECURITY_PROTOCOL")).contains("SASL_SSL");
        assertThat(setting(application, "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM")).contains("SCRAM-SHA-512");
        assertThat(secretOf(application, "SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD")).map(SecretKeySelector::getName)
                .contains(kafka + "-cluster-ca-cert");

        Manifest database = only("Cluster");
        String cluster = database.name();
        String url = setting(application, "SPRING_DATASOURCE_URL").orElseThrow();
        URI jdbc = URI.create(url.substring("jdbc:".length()));
        assertThat(jdbc.getHost()).isEqualTo(cluster + "-rw");
        assertThat(jdbc.getPath()).isEqualTo("/" + path(database.raw(), "spec.bootstrap.initdb.database"));
        assertThat(url).contains("sslmode=verify-full");
        Set<String> mountedSecrets = only(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getSecret() != null).map(volume -> volume.getSecret().getSecretName())
                .collect(Collectors.toSet());
        assertThat(mountedSecrets).contains(cluster + "-ca", kafka + "-cluster-ca-cert");

        // The roles the cluster manages are the ones the application signs in as, with the same secrets.
        assertThat(setting(application, "SPRING_FLYWAY_USER"))
                .contains(String.valueOf(path(database.raw(), "spec.bootstrap.initdb.owner")));
        assertThat(secretOf(application, "SPRING_FLYWAY_PASSWORD")).map(SecretKeySelector::getName)
                .contains(String.valueOf(path(database.raw(), "spec.bootstrap.initdb.secret.name")));
        String appRole = setting(application, "SPRING_DATASOURCE_USERNAME").orElseThrow();
        assertThat(setting(application, "ORDERFLOW_DATABASE_APP_ROLE")).contains(appRole);
        Map<String, Object> role = listOfMaps(path(database.raw(), "spec.managed.roles")).stream()
                .filter(candidate -> appRole.equals(candidate.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("the cluster does not manage the role " + appRole));
        assertThat(secretOf(application, "SPRING_DATASOURCE_PASSWORD")).map(SecretKeySelector::getName)
                .contains(String.valueOf(map(role.get("passwordSecret")).get("name")));
        String connectRole = setting(application, "ORDERFLOW_DATABASE_CONNECT_ROLE").orElseThrow();
        assertThat(listOfMaps(path(database.raw(), "spec.managed.roles")))
                .anyMatch(candidate -> connectRole.equals(candidate.get("name"))
                        && Boolean.TRUE.equals(candidate.get("replication")));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The compose stack

    @Test
    void composeGivesTheApplicationEverySettingTheProductionJarRequires() throws IOException {
        Map<String, Object> orderflow = composeService("orderflow");
        Map<String, String> environment = composeEnvironment(orderflow);
        boolean configTree = environment.getOrDefault("SPRING_CONFIG_IMPORT", "").contains("configtree:/run/secrets/");
        Set<String> secretFiles = composeSecretTargets(orderflow);
        for (ExternalServicesCheck.Requirement requirement : ExternalServicesCheck.REQUIREMENTS) {
            boolean set = !environment.getOrDefault(requirement.variable(), "").isBlank()
                    || configTree && secretFiles.contains(requirement.property());
            assertThat(set).as(requirement.variable() + " (" + requirement.service() + ") in compose.yaml").isTrue();
        }
        assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
                .containsEntry("ORDERFLOW_BIND_ADDRESS", "0.0.0.0");
    }

    @Test
    void composeWritesNoSecretIntoItsFile() throws IOException {
        Map<String, Object> compose = yaml(COMPOSE);
        List<String> problems = new ArrayList<>();
        map(compose.get("services")).forEach((name, service) -> composeEnvironment(map(service)).forEach(
                (variable, value) -> {
                    String bare = variable.replaceFirst("_?_FILE$", "");
                    boolean fileReference = !bare.equals(variable) && value.startsWith("/run/secrets/");
                    if (looksSecret(bare) && !fileReference) {
                        problems.add(name + ": " + variable + " has a literal value");
                    }
                    if (INLINE_PASSWORD.matcher(value).find()) {
                        problems.add(name + ": " + variable + " carries a password inline");
                    }
                }));
        map(compose.get("secrets")).forEach((name, secret) -> {
            Object file = map(secret).get("file");
            if (file == null || !String.valueOf(file).startsWith("./secrets/")) {
                problems.add("secret " + name + " is not a file under ./secrets: " + secret);
            }
        });
        assertThat(problems).isEmpty();

        // The files themselves stay out of the repository.
        List<String> ignored = Files.readAllLines(COMPOSE_DIRECTORY.resolve("secrets").resolve(".gitignore"))
                .stream().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(ignored).containsExactly("*", "!.gitignore");
        // The issuer's realm file names its client secrets by placeholders only.
        String realm = Files.readString(COMPOSE_DIRECTORY.resolve("keycloak").resolve("orderflow-realm.json"));
        List<Object> clients = listOfObjects(new Yaml().<Map<String, Object>>load(realm).get("clients"));
        assertThat(clients).isNotEmpty().allSatisfy(client -> assertThat(String.valueOf(map(client).get("secret")))
                .matches("\\$\\{[A-Z_]+}"));
    }

    @Test
    void composeRunsTheTopicStepBeforeTheApplication() throws IOException {
        Map<String, Object> orderflow = composeService("orderflow");
        Map<String, Object> topics = composeService("topics");
        assertThat(topics.get("image")).isEqualTo(orderflow.get("image"));
        assertThat(listOfObjects(topics.get("command"))).containsExactly("topics");
        assertThat(map(map(orderflow.get("depends_on")).get("topics")).get("condition"))
                .isEqualTo("service_completed_successfully");
        for (Object dependency : map(orderflow.get("depends_on")).values()) {
            assertThat(map(dependency).get("condition")).isIn("service_healthy", "service_completed_successfully");
        }
    }

    @Test
    void composePrometheusConfigurationIsValid() throws IOException, InterruptedException {
        assertThat(Files.isExecutable(PROMTOOL)).as(PROMTOOL + " is missing: install Debian's prometheus package "
                + "(scripts/test does)").isTrue();
        Path directory = Files.createTempDirectory("compose-prometheus");
        try {
            Files.copy(COMPOSE_DIRECTORY.resolve("prometheus").resolve("prometheus.yml"),
                    directory.resolve("prometheus.yml"));
            Files.copy(DEPLOY.resolve("prometheus").resolve("orderflow-alerts.yml"),
                    directory.resolve("orderflow-alerts.yml"));
            Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "config", "prometheus.yml")
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
        } finally {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    private static List<Path> kustomizationDirectories() throws IOException {
        try (Stream<Path> walk = Files.walk(KUBERNETES)) {
            return walk.filter(file -> file.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent).map(Path::normalize).sorted().toList();
        }
    }

    private static void collectKustomizations(Path directory, Set<Path> reached) throws IOException {
        if (!reached.add(directory.normalize())) {
            return;
        }
        for (String entry : strings(yaml(directory.resolve("kustomization.yaml")).get("resources"))) {
            Path target = directory.resolve(entry).normalize();
            if (Files.isRegularFile(target.resolve("kustomization.yaml"))) {
                collectKustomizations(target, reached);
            }
        }
    }

    private static List<String> patchFiles(Map<String, Object> kustomization) {
        List<String> files = new ArrayList<>();
        for (Object patch : listOfObjects(kustomization.get("patches"))) {
            Object file = patch instanceof Map<?, ?> entry ? entry.get("path") : patch;
            if (file != null) {
                files.add(String.valueOf(file));
            }
        }
        files.addAll(strings(kustomization.get("patchesStrategicMerge")));
        return files;
    }

    private static List<Path> yamlFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> file.getFileName().toString()
                    .matches(".*\\.ya?ml")).map(Path::normalize).sorted().toList();
        }
    }

    private static List<Manifest> parse(Path file) throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        int index = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (Object document : new Yaml().loadAll(in)) {
                if (document == null) {
                    continue;
                }
                Map<String, Object> raw = map(document);
                KubernetesResource resource = SERIALIZATION.unmarshal(SERIALIZATION.asJson(raw),
                        KubernetesResource.class);
                manifests.add(new Manifest(file, index++, raw, resource));
            }
        }
        return manifests;
    }

    /** Fields the model has no place for land in additionalProperties: a misspelt or misplaced field. */
    private static void unknownFields(Object value, String path, List<String> problems, String manifest) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + index++ + "]", problems, manifest);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> unknownFields(item, path + "." + key, problems, manifest));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object property = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(manifest + ": " + path + " has fields the Kubernetes model does not know: "
                            + extra.keySet());
                }
                continue;
            }
            if (property instanceof Quantity || property instanceof IntOrString) {
                continue;
            }
            String name = getter.getName().substring(3);
            unknownFields(property, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1),
                    problems, manifest);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " on " + target.getClass(), e);
        }
    }

    private static Manifest only(String kind) {
        List<Manifest> found = resources.stream().filter(manifest -> manifest.kind().equals(kind)).toList();
        assertThat(found).as("manifests of kind " + kind).hasSize(1);
        return found.get(0);
    }

    private static <T> T only(Class<T> type) {
        List<T> found = resources.stream().map(Manifest::resource).filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("resources of type " + type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static Container applicationContainer() {
        List<Container> containers = only(Deployment.class).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("the application's pod runs one container").hasSize(1);
        return containers.get(0);
    }

    private static Container topicStepContainer() {
        List<Container> containers = only(Job.class).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("the topic step's pod runs one container").hasSize(1);
        return containers.get(0);
    }

    private static PodSpec podSpec(Manifest manifest) {
        PodTemplateSpec template = null;
        if (manifest.resource() instanceof Deployment deployment) {
            template = deployment.getSpec().getTemplate();
        } else if (manifest.resource() instanceof Job job) {
            template = job.getSpec().getTemplate();
        }
        return template == null ? null : template.getSpec();
    }

    private static List<Container> containers(Manifest manifest) {
        PodSpec pod = podSpec(manifest);
        if (pod == null) {
            return List.of();
        }
        return concat(pod.getContainers(), Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
    }

    private static Optional<EnvVar> env(Container container, String name) {
        return container.getEnv().stream().filter(variable -> variable.getName().equals(name)).findFirst();
    }

    private static Optional<SecretKeySelector> secretOf(Container container, String name) {
        return env(container, name).map(EnvVar::getValueFrom).map(source -> source.getSecretKeyRef());
    }

    /**
     * What a variable is set to on a container: its own value, a value from elsewhere (a secret, a field) as
     * "(from ...)", or the key of a ConfigMap among the manifests that the container reads whole (envFrom).
     */
    private static Optional<String> setting(Container container, String name) {
        Optional<EnvVar> direct = env(container, name);
        if (direct.isPresent()) {
            EnvVar variable = direct.get();
            if (variable.getValue() != null && !variable.getValue().isBlank()) {
                return Optional.of(variable.getValue());
            }
            if (variable.getValueFrom() != null) {
                return Optional.of("(from " + variable.getValueFrom() + ")");
            }
        }
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() == null) {
                continue;
            }
            String prefix = Objects.requireNonNullElse(source.getPrefix(), "");
            if (!name.startsWith(prefix)) {
                continue;
            }
            String key = name.substring(prefix.length());
            Optional<String> value = resources.stream().map(Manifest::resource).filter(ConfigMap.class::isInstance)
                    .map(ConfigMap.class::cast)
                    .filter(map -> map.getMetadata().getName().equals(source.getConfigMapRef().getName()))
                    .map(map -> Optional.ofNullable(map.getData()).orElse(Map.of()).get(key))
                    .filter(found -> found != null && !found.isBlank()).findFirst();
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static String probePath(Probe probe) {
        assertThat(probe).as("probe").isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("an HTTP probe").isNotNull();
        return get.getPath();
    }

    private static ContainerPort declaredPort(Container container, IntOrString port) {
        return container.getPorts().stream().filter(candidate -> port.getStrVal() != null
                        ? port.getStrVal().equals(candidate.getName())
                        : port.getIntVal().equals(candidate.getContainerPort())).findFirst()
                .orElseThrow(() -> new AssertionError("port " + port + " is not declared by the container "
                        + container.getName() + " (" + container.getPorts() + ")"));
    }

    private static long preStopSeconds(Container container) {
        var preStop = container.getLifecycle().getPreStop();
        assertThat(preStop).as("preStop").isNotNull();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        if (preStop.getExec() != null && preStop.getExec().getCommand().size() == 2
                && preStop.getExec().getCommand().get(0).endsWith("sleep")) {
            return Long.parseLong(preStop.getExec().getCommand().get(1));
        }
        return fail("the preStop hook of " + container.getName() + " is no pause: " + preStop);
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector).as("selector").isNotNull();
        assertThat(selector.getMatchExpressions()).as("selectors by labels only").isNullOrEmpty();
        Map<String, String> wanted = selector.getMatchLabels();
        assertThat(wanted).as("a selector that selects something").isNotEmpty();
        return wanted.entrySet().stream().allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
    }

    /** Spring Boot's duration forms: 30s, 1m, 500ms, or a plain number of milliseconds, or ISO-8601. */
    private static Duration duration(String text) {
        var matcher = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (Objects.requireNonNullElse(matcher.group(2), "ms")) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMillis(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new AssertionError("not a duration: " + text, e);
        }
    }

    static boolean looksSecret(String name) {
        List<String> words = List.of(name.toUpperCase(Locale.ROOT).split("[_.\\-]+"));
        return words.stream().anyMatch(SECRET_WORDS::contains) || words.get(words.size() - 1).equals("KEY");
    }

    private static Map<String, Object> applicationYaml() {
        try (InputStream in = DeploymentManifestsTest.class.getResourceAsStream("/application.yml")) {
            assertThat(in).as("application.yml on the class path").isNotNull();
            return map(new Yaml().load(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> composeService(String name) throws IOException {
        Map<String, Object> service = map(map(yaml(COMPOSE).get("services")).get(name));
        assertThat(service).as("compose service " + name).isNotEmpty();
        return service;
    }

    /** A service's environment, in either of compose's forms (a map, or a list of NAME=value). */
    private static Map<String, String> composeEnvironment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> environment.put(String.valueOf(key), value == null ? ""
                    : String.valueOf(value)));
        } else {
            for (Object entry : listOfObjects(declared)) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                environment.put(equals < 0 ? text : text.substring(0, equals),
                        equals < 0 ? "" : text.substring(equals + 1));
            }
        }
        return environment;
    }

    /** The file names under /run/secrets a service's secrets are mounted as. */
    private static Set<String> composeSecretTargets(Map<String, Object> service) {
        Set<String> targets = new LinkedHashSet<>();
        for (Object secret : listOfObjects(service.get("secrets"))) {
            if (secret instanceof Map<?, ?> entry) {
                Object target = entry.get("target");
                targets.add(String.valueOf(target != null ? target : entry.get("source")));
            } else {
                targets.add(String.valueOf(secret));
            }
        }
        return targets;
    }

    private static Map<String, Object> yaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return map(new Yaml().load(in));
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static Map<String, Object> spec(Manifest manifest) {
        return map(manifest.raw().get("spec"));
    }

    /** A value at a dotted path of nested maps (keys may contain dashes), or null. */
    private static Object path(Map<String, Object> root, String dotted) {
        Object current = root;
        for (String key : dotted.split("\\.")) {
            if (!(current instanceof Map<?, ?> level)) {
                return null;
            }
            current = level.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    private static List<Object> listOfObjects(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of();
    }

    private static List<Map<String, Object>> listOfMaps(Object value) {
        return listOfObjects(value).stream().map(DeploymentManifestsTest::map).toList();
    }

    private static List<String> strings(Object value) {
        return listOfObjects(value).stream().map(String::valueOf).toList();
    }

    private static String single(Set<String> names) {
        assertThat(names).hasSize(1);
        return names.iterator().next();
    }

    private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
