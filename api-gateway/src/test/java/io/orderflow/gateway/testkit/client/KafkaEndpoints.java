package io.orderflow.gateway.testkit.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** A Java Kafka client's settings from an application's {@code endpoints.properties}, as an operator's tool reads it. */
public final class KafkaEndpoints {

    private KafkaEndpoints() {
    }

    /**
     * The bootstrap servers, and on a secured cluster the inspection principal's settings, which the file gives for
     * librdkafka clients ({@code kafka.librdkafka.*}), translated to the Java client's names.
     */
    public static Map<String, Object> inspector(Properties endpoints) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", endpoints.getProperty("kafka.bootstrap.servers"));
        String protocol = endpoints.getProperty("kafka.librdkafka.security.protocol");
        if (protocol != null) {
            settings.put("security.protocol", protocol);
            settings.put("sasl.mechanism", endpoints.getProperty("kafka.librdkafka.sasl.mechanisms"));
            settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"" + endpoints.getProperty("kafka.librdkafka.sasl.username") + "\" password=\""
                    + endpoints.getProperty("kafka.librdkafka.sasl.password") + "\";");
            settings.put("ssl.truststore.type", "PEM");
            settings.put("ssl.truststore.location", endpoints.getProperty("kafka.librdkafka.ssl.ca.location"));
        }
        return settings;
    }
}
