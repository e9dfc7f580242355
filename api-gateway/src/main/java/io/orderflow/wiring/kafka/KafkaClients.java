package io.orderflow.wiring.kafka;

import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What every Kafka client of the application starts from: Spring Boot's standard {@code spring.kafka.*} settings
 * (bootstrap servers, {@code security.protocol}, {@code ssl.*} or an SSL bundle, and anything under
 * {@code spring.kafka.properties}, such as {@code sasl.mechanism} and {@code sasl.jaas.config}), for the kind of
 * client at hand ({@code spring.kafka.consumer.*}, {@code .producer.*}, {@code .admin.*}, {@code .streams.*}).
 * Each client adds what it needs of its own on top. So a cluster with SASL and TLS is reached by configuration
 * alone, by the publisher, the processors' consumers, the admin clients and the address router alike.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaClients {

    private final KafkaProperties kafka;
    private final SslBundles sslBundles;

    KafkaClients(KafkaProperties kafka, SslBundles sslBundles) {
        this.kafka = kafka;
        this.sslBundles = sslBundles;
    }

    /** A consumer's configuration: the shared settings, then {@code own}. */
    public Map<String, Object> consumer(Map<String, ?> own) {
        return merged(kafka.buildConsumerProperties(sslBundles), own);
    }

    /** A producer's configuration: the shared settings, then {@code own}. */
    public Map<String, Object> producer(Map<String, ?> own) {
        return merged(kafka.buildProducerProperties(sslBundles), own);
    }

    /** An admin client's configuration: the shared settings, then {@code own}. */
    public Map<String, Object> admin(Map<String, ?> own) {
        return merged(kafka.buildAdminProperties(sslBundles), own);
    }

    /** A Kafka Streams application's configuration: the shared settings, then {@code own}. */
    public Properties streams(Map<String, ?> own) {
        Properties properties = new Properties();
        properties.putAll(merged(kafka.buildStreamsProperties(sslBundles), own));
        return properties;
    }

    private static Map<String, Object> merged(Map<String, Object> shared, Map<String, ?> own) {
        Map<String, Object> configuration = new HashMap<>(shared);
        configuration.putAll(own);
        return configuration;
    }
}
