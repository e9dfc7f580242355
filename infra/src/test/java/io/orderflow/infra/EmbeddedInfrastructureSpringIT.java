package io.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.kafka.KafkaPrincipal;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import io.orderflow.infra.support.Processes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** The Spring Boot integration, on real servers: what an application gets by putting infra on its class path. */
class EmbeddedInfrastructureSpringIT {

    @TempDir
    Path home;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    /** A bean that still needs the database and Kafka while the context is being closed. */
    static class DestroyProbe implements DisposableBean {
        static volatile String seenOnDestroy;
        private final Environment environment;
        private final KafkaCluster kafka;

        DestroyProbe(Environment environment, KafkaCluster kafka) {
            this.environment = environment;
            this.kafka = kafka;
        }

        @Override
        public void destroy() throws Exception {
            try (Connection connection = DriverManager.getConnection(
                    environment.getProperty("spring.datasource.url"), environment.getProperty("spring.datasource.username"),
                    environment.getProperty("spring.datasource.password"));
                 Admin admin = Admin.create(kafka.clientSettings(KafkaPrincipal.APP))) {
                int brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                seenOnDestroy = "database valid=" + connection.isValid(5) + ", brokers=" + brokers;
            }
        }
    }

    @Test
    void givenNoExternalServers_whenContextStarts_thenEmbeddedServersRunAndTheContextPointsAtThem() throws Exception {
        EmbeddedInfrastructure infrastructure;
        long postmaster;
        long broker;
        DestroyProbe.seenOnDestroy = null;
        try (ConfigurableApplicationContext context = run(new Class<?>[]{Application.class, DestroyProbe.class},
                "--orderflow.home=" + home)) {
            infrastructure = context.getBean(EmbeddedInfrastructure.class);
            EmbeddedPostgresServer postgres = context.getBean(EmbeddedPostgresServer.class);
            KafkaCluster kafka = context.getBean(KafkaCluster.class);
            Environment environment = context.getEnvironment();

            assertThat(environment.getProperty("spring.datasource.url")).isEqualTo(postgres.jdbcUrl())
                    .startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/orderflow");
            // The application connects as its own role, and migrates as the owner role (DatabaseRoles).
            assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("orderflow_app");
            assertThat(environment.getProperty("spring.datasource.password"))
                    .isEqualTo(postgres.roles().passwordOf("orderflow_app")).hasSize(32);
            assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("orderflow_owner");
            assertThat(environment.getProperty("axon.kafka.bootstrap-servers")).isEqualTo(kafka.bootstrapServers());
            assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(kafka.bootstrapServers());
            // Secured by default: every client of the application signs in as its principal over TLS.
            assertThat(kafka.security()).isPresent();
            assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_SSL");
            assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config"))
                    .contains("username=\"orderflow-app\"");
            assertThat(postgres.dataDirectory()).isEqualTo(home.resolve("postgres"));
            assertThat(kafka.directory()).isEqualTo(home.resolve("kafka"));
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(),
                    environment.getProperty("spring.datasource.username"),
                    environment.getProperty("spring.datasource.password"));
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            // The application's topic initializer replicates as often as this cluster can hold.
            assertThat(environment.getProperty("orderflow.kafka.topics.replication-factor", Integer.class))
                    .isEqualTo(1);
            Properties endpoints = new Properties();
            try (var reader = Files.newBufferedReader(home.resolve("endpoints.properties"))) {
                endpoints.load(reader);
            }
            assertThat(endpoints.getProperty("jdbc.url")).isEqualTo(postgres.jdbcUrl());
            assertThat(endpoints.getProperty("jdbc.username")).isEqualTo("orderflow_app");
            assertThat(endpoints.getProperty("postgres.credentials")).isEqualTo(postgres.credentialsFile().toString());
            assertThat(endpoints.getProperty("kafka.bootstrap.servers")).isEqualTo(kafka.bootstrapServers());

            // A second context in the same JVM with the same home shares the servers instead of starting more.
            try (ConfigurableApplicationContext second = run("--orderflow.home=" + home)) {
                assertThat(second.getBean(EmbeddedInfrastructure.class)).isSameAs(infrastructure);
                assertThat(second.getEnvironment().getProperty("spring.datasource.url")).isEqualTo(postgres.jdbcUrl());
            }
            assertThat(infrastructure.isRunning()).as("still used by the first context").isTrue();
            assertThat(postgres.isRunning()).isTrue();
            postmaster = postgres.postmasterPid();
            broker = kafka.pid(0);
        }

        assertThat(DestroyProbe.seenOnDestroy).as("the servers outlive every other bean")
                .isEqualTo("database valid=true, brokers=1");
        assertThat(infrastructure.isRunning()).isFalse();
        assertThat(Processes.isRunning(postmaster)).isFalse();
        assertThat(Processes.isRunning(broker)).isFalse();
        assertThat(home.resolve("endpoints.properties")).doesNotExist();
    }

    @Test
    void givenExternalDatabaseAndKafka_whenContextStarts_thenNothingIsStartedAndAxonAndSpringAgree() {
        try (ConfigurableApplicationContext context = run("--orderflow.home=" + home,
                "--spring.datasource.url=jdbc:postgresql://db.example:5432/orderflow",
                "--KAFKA_BOOTSTRAP_SERVERS=kafka.example:9092",
                "--orderflow.kafka.topics.enabled=false")) {
            EmbeddedInfrastructure infrastructure = context.getBean(EmbeddedInfrastructure.class);
            Environment environment = context.getEnvironment();

            assertThat(infrastructure.postgres()).isEmpty();
            assertThat(infrastructure.kafka()).isEmpty();
            assertThat(environment.getProperty("spring.datasource.url"))
                    .isEqualTo("jdbc:postgresql://db.example:5432/orderflow");
            assertThat(environment.getProperty("axon.kafka.bootstrap-servers")).isEqualTo("kafka.example:9092");
            assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("kafka.example:9092");
            assertThat(environment.getProperty("orderflow.kafka.topics.replication-factor")).isNull();
            assertThat(context.getBeanNamesForType(EmbeddedPostgresServer.class)).isEmpty();
        }
        assertThat(home.resolve("postgres")).doesNotExist();
        assertThat(home.resolve("kafka")).doesNotExist();
    }

    @Test
    void givenEmbeddedDisabled_whenContextStarts_thenNoInfrastructureBean() {
        try (ConfigurableApplicationContext context = run("--orderflow.home=" + home,
                "--orderflow.embedded.enabled=false")) {
            assertThat(context.getBeanNamesForType(EmbeddedInfrastructure.class)).isEmpty();
        }
        assertThat(home.resolve("postgres")).doesNotExist();
    }

    private static ConfigurableApplicationContext run(String... args) {
        return run(new Class<?>[]{Application.class}, args);
    }

    private static ConfigurableApplicationContext run(Class<?>[] sources, String... args) {
        SpringApplication application = new SpringApplication(sources);
        application.setWebApplicationType(WebApplicationType.NONE);
        // The Kafka Connect worker has a test of its own (ConnectWorkerIT).
        application.setDefaultProperties(java.util.Map.of("orderflow.connect.embedded", "false"));
        return application.run(args);
    }
}
