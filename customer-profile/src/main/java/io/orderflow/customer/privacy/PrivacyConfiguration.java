package io.orderflow.customer.privacy;

import org.axonframework.serialization.Serializer;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Set;

/**
 * Personal data encrypted per customer (docs/adr/0032): the customers' data keys under the master key from
 * {@code orderflow.personal-data.master-key} ({@link PersonalDataProperties}, {@code ORDERFLOW_PERSONAL_DATA_MASTER_KEY}; the development run makes
 * one under {@code ORDERFLOW_HOME}), and Axon's general and event serializers wrapped so that everything they write
 * holds the personal fields encrypted.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PersonalDataProperties.class)
public class PrivacyConfiguration {

    /** Axon's serializers that write what is kept or sent: sagas, snapshots, deadlines, tokens; events. */
    static final Set<String> WRAPPED_SERIALIZERS = Set.of("serializer", "eventSerializer");

    @Bean
    CustomerDataKeys customerDataKeys(JdbcTemplate jdbc, PersonalDataProperties settings) {
        // A missing master key has already stopped the start, named by PersonalDataProperties' validation.
        return new CustomerDataKeys(jdbc, new PersonalDataCipher(settings.masterKey()), settings.keyCacheTtl());
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
