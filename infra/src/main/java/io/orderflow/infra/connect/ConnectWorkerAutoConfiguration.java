package io.orderflow.infra.connect;

import io.orderflow.infra.EmbeddedInfrastructureProperties;
import io.orderflow.infra.kafka.KafkaCluster;
import io.orderflow.infra.kafka.KafkaPrincipal;
import org.springframework.beans.factory.ObjectProvider;

import java.util.Map;
import java.util.Optional;

import io.orderflow.infra.EmbeddedInfrastructureEnvironmentPostProcessor;
import io.orderflow.topics.TopicsProperties;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts the embedded {@link ConnectWorker} beside the embedded brokers and database, on the port the
 * {@link EmbeddedInfrastructureEnvironmentPostProcessor} chose, and stops it with the context.
 *
 * <p>It applies only when that post-processor pointed {@value #URL} at the embedded worker: in the embedded mode,
 * unless {@value #EMBEDDED} is false or {@value #URL} names a Connect cluster of the user's. The worker is launched
 * without waiting for it: Kafka Connect moves data beside the order flow, and the application serves orders while
 * the worker starts (the connector installer waits for it).
 */
@AutoConfiguration
@Conditional(ConnectWorkerAutoConfiguration.WorkerChosen.class)
@EnableConfigurationProperties({EmbeddedInfrastructureProperties.class, TopicsProperties.class})
public class ConnectWorkerAutoConfiguration {

    /** The Kafka Connect REST API the application applies its connectors to (env {@code ORDERFLOW_CONNECT_URL}). */
    public static final String URL = "orderflow.connect.url";
    /** Whether the embedded mode starts a Connect worker when no URL is given (env ORDERFLOW_CONNECT_EMBEDDED). */
    public static final String EMBEDDED = "orderflow.connect.embedded";
    /** The embedded worker's REST port, 0 (the default) for a free one. */
    public static final String PORT = "orderflow.connect.port";
    /** The database role the connectors use (the embedded run's Connect role); else the application's user. */
    public static final String DATABASE_USERNAME = "orderflow.connect.database.username";
    public static final String DATABASE_PASSWORD = "orderflow.connect.database.password";

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnMissingBean
    public ConnectWorker orderflowConnectWorker(Environment environment, EmbeddedInfrastructureProperties settings,
                                                TopicsProperties topics, ObjectProvider<KafkaCluster> embeddedKafka) {
        // The URL and the brokers are the ones the post-processor chose for the embedded worker and cluster.
        String url = environment.getRequiredProperty(URL);
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        EmbeddedInfrastructureProperties.ConnectDatabase database = settings.connect().database();
        return new ConnectWorker(Path.of(settings.home(), "connect"), port,
                environment.getRequiredProperty("orderflow.kafka.bootstrap-servers"),
                // 0 derives the factor from the cluster; the post-processor sets it for the embedded one.
                topics.replicationFactor() == 0 ? 1 : topics.replicationFactor(),
                ConnectWorker.databaseEnvironment(environment.getRequiredProperty("spring.datasource.url"),
                        database.username() != null ? database.username()
                                : environment.getProperty("spring.datasource.username"),
                        database.password() != null ? database.password()
                                : environment.getProperty("spring.datasource.password")))
                // On a secured embedded cluster the worker and its connectors are Connect's principal.
                .withKafkaSecurity(Optional.ofNullable(embeddedKafka.getIfAvailable())
                        .flatMap(KafkaCluster::security)
                        .map(security -> security.clientSettings(KafkaPrincipal.CONNECT))
                        .orElse(Map.of()));
    }

    /** Matches when the Connect URL is the one the post-processor chose for the embedded worker. */
    static final class WorkerChosen extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            if (context.getEnvironment() instanceof ConfigurableEnvironment environment) {
                PropertySource<?> chosen = environment.getPropertySources()
                        .get(EmbeddedInfrastructureEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
                if (chosen != null && chosen.containsProperty(URL)) {
                    return ConditionOutcome.match("orderflow.connect.url points at the embedded Connect worker");
                }
            }
            return ConditionOutcome.noMatch("orderflow.connect.url names an external Connect cluster, or the "
                    + "embedded worker or the embedded infrastructure is disabled");
        }
    }
}
