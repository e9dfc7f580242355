package io.orderflow.wiring.kafka;

import io.orderflow.wiring.settings.EventKafkaProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.AsyncFetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.DefaultConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/**
 * The Kafka topics that processors of other contexts read, as Axon message sources (one per processor, made from
 * the topics its declaration names). Each source's position is a
 * token of partition offsets kept in PostgreSQL's token store, in the same transaction as what the processor
 * writes, so a consumer never loses or skips a record across a crash (it may see one again: handlers de-duplicate).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaSourcesConfiguration {

    private static final int BUFFER_CAPACITY = 1_000;

    @Bean
    ConsumerFactory<String, byte[]> orderflowConsumerFactory(KafkaClients clients, KafkaClientMeters clientMeters) {
        return clientMeters.consumers(new DefaultConsumerFactory<>(clients.consumer(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.CLIENT_ID_CONFIG, "orderflow-consumer",
                // Positions live in the token store, never in Kafka.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A position Kafka no longer has is an error to see, not a reason to jump to the end silently.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                // Records of a Kafka transaction (the address router's) only once it committed, never an aborted one.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500))));
    }

    @Bean(destroyMethod = "shutdown")
    Fetcher<String, byte[], KafkaEventMessage> orderflowFetcher(
            EventKafkaProperties kafka) {
        return AsyncFetcher.<String, byte[], KafkaEventMessage>builder()
                .pollTimeout(kafka.consumer().pollTimeout().toMillis()).build();
    }

    /** What every source shares: the consumers, the fetcher, the converter and the serializer. */
    @Bean
    KafkaSources orderflowKafkaSources(@Qualifier("eventSerializer") Serializer serializer,
                                       ConsumerFactory<String, byte[]> consumers,
                                       Fetcher<String, byte[], KafkaEventMessage> fetcher,
                                       KafkaMessageConverter<String, byte[]> converter) {
        return topics -> source(topics, serializer, consumers, fetcher, converter);
    }

    /** Makes the message source of some topics; each Kafka-sourced processor gets its own. */
    @FunctionalInterface
    public interface KafkaSources {
        StreamableKafkaMessageSource<String, byte[]> of(List<String> topics);
    }

    private static StreamableKafkaMessageSource<String, byte[]> source(
            List<String> topics, Serializer serializer, ConsumerFactory<String, byte[]> consumers,
            Fetcher<String, byte[], KafkaEventMessage> fetcher, KafkaMessageConverter<String, byte[]> converter) {
        return StreamableKafkaMessageSource.<String, byte[]>builder()
                .topics(topics)
                .serializer(serializer)
                .consumerFactory(consumers)
                .fetcher(fetcher)
                .messageConverter(converter)
                // Records in the order they were read, so that no committed token runs ahead of an unprocessed
                // record (the default buffer sorts by timestamp; see ConsumedOrderBuffer).
                .bufferFactory(() -> new ConsumedOrderBuffer<>(BUFFER_CAPACITY))
                .build();
    }
}
