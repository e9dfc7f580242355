package io.orderflow.customer.privacy;

import org.axonframework.serialization.Serializer;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Set;

/**
 * Personal data encrypted per customer (docs/adr/0032): the customers' data keys under the master key from
 * {@code orderflow.personal-data.master-key} ({@code ORDERFLOW_PERSONAL_DATA_MASTER_KEY}; the development run makes
 * one under {@code ORDERFLOW_HOME}), and Axon's general and event serializers wrapped so that everything they write
 * holds the personal fields encrypted.
 */
@Configuration(proxyBeanMethods = false)
public class PrivacyConfiguration {

    /** Axon's serializers that write what is kept or sent: sagas, snapshots, deadlines, tokens; events. */
    static final Set<String> WRAPPED_SERIALIZERS = Set.of("serializer", "eventSerializer");

    @Bean
    CustomerDataKeys customerDataKeys(JdbcTemplate jdbc,
                                      @Value("${orderflow.personal-data.master-key:}") String masterKey,
                                      @Value("${orderflow.personal-data.key-cache-ttl:5m}") Duration cacheTtl) {
        if (masterKey.isBlank()) {
            throw new IllegalStateException("No master key for personal data: set ORDERFLOW_PERSONAL_DATA_MASTER_KEY "
                    + "(orderflow.personal-data.master-key) to 32 random bytes in base64, for example the output of "
                    + "`openssl rand -base64 32`, and keep it as safe as the database password. Every customer's data "
                    + "key is wrapped with it: without the same key, no personal data can be read again.");
        }
        return new CustomerDataKeys(jdbc, new PersonalDataCipher(masterKey), cacheTtl);
    }

    /** Wraps Axon's serializers as they are made, keeping every setting the auto-configuration gave them. */
    @Bean
    static BeanPostProcessor personalDataSerializers(ObjectProvider<CustomerDataKeys> keys) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof Serializer serializer && !(bean instanceof PersonalDataSerializer)
                        && WRAPPED_SERIALIZERS.contains(beanName)) {
                    return new PersonalDataSerializer(serializer, keys::getObject);
                }
                return bean;
            }
        };
    }
}
