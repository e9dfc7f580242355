package io.orderflow.wiring.axon;

import io.orderflow.wiring.instance.InstanceId;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.orderflow.order.api.upcasting.OrderAcceptedEventUpcaster;
import io.orderflow.wiring.settings.ProcessorsProperties;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;


/**
 * The parts of Axon's set-up that must not be left to defaults: how messages are written and where processors
 * keep their tokens.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    /**
     * The upcasters of the published languages (each ships with its events in its api module), in the order they
     * apply: the store and the Kafka sources read every event through them, so every consumer sees the current
     * revision.
     */
    @Bean
    @Order(0)
    EventUpcaster orderAcceptedEventUpcaster() {
        return new OrderAcceptedEventUpcaster();
    }

    /**
     * The mapper of the stored contract (events, tokens, sagas). It is kept apart from the HTTP mapper so that
     * tightening what the API accepts never changes what is stored, and so that consumers ignore fields added by
     * a newer revision. Axon picks a bean of this name for its Jackson serializers.
     */
    /**
     * What a message copies onto the messages it causes: Axon's own origin (correlation and trace id), which Axon
     * adds only while no provider is declared, and the client's own trace id.
     */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    @Bean
    CorrelationDataProvider clientTraceIdProvider() {
        return new SimpleCorrelationDataProvider(TraceMetadata.CLIENT_TRACE_ID);
    }

    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    /**
     * Declaring the Axon mapper switches Spring Boot's own off, so the HTTP mapper is declared here too. Besides
     * the strictness set in application.yml, a number or boolean is not accepted where text is expected (Jackson
     * would turn {@code "name": 42} into "42"), nor text where a whole number is; amounts stay decimal strings.
     */
    @Bean
    @Primary
    ObjectMapper objectMapper(Jackson2ObjectMapperBuilder builder) {
        ObjectMapper mapper = builder.build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Tokens live in PostgreSQL beside the events, in the same transaction as each projection's writes. Declared
     * explicitly because the Kafka extension otherwise installs a token store on a Kafka topic.
     *
     * <p>Each application context claims segments under an owner name of its own: the instance's name and a suffix
     * ({@link InstanceId}). Axon's default is the JVM's {@code pid@host}, which two contexts in one JVM share: each
     * then takes the other's claims for its own and both process the same segments at once (it happened in the
     * benchmark run, which kept two contexts, as duplicate inserts into the order summary). A claim its owner has
     * not renewed for the claim timeout is taken over by another instance.
     */
    @Bean
    TokenStore tokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider, InstanceId instance,
                          ProcessorsProperties processors) {
        return JpaTokenStore.builder()
                .serializer(serializer)
                .entityManagerProvider(entityManagerProvider)
                .claimTimeout(processors.claimTimeout())
                .nodeId(instance.owner())
                .build();
    }
}
