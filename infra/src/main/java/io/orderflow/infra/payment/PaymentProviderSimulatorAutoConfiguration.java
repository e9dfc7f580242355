package io.orderflow.infra.payment;

import io.orderflow.infra.EmbeddedInfrastructureEnvironmentPostProcessor;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts the {@link PaymentProviderSimulator} on the application's DataSource, on the port the
 * {@link EmbeddedInfrastructureEnvironmentPostProcessor} chose, and stops it when the context closes.
 *
 * <p>It applies only when that post-processor pointed {@value #PROVIDER_URL} at the simulator; a URL the user set
 * names a real provider, and then nothing is simulated. The database may be embedded or external.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@Conditional(PaymentProviderSimulatorAutoConfiguration.SimulatorChosen.class)
public class PaymentProviderSimulatorAutoConfiguration {

    /** The payment provider's base URL (env {@code ORDERFLOW_PAYMENT_PROVIDER_URL}). */
    public static final String PROVIDER_URL = "orderflow.payment.provider-url";
    /** Whether the simulator may start when no provider URL is given (default true). */
    public static final String ENABLED = "orderflow.payment.simulator.enabled";
    /** The simulator's port, 0 (the default) for a free one. */
    public static final String PORT = "orderflow.payment.simulator.port";

    /** The running simulator. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean
    public PaymentProviderSimulator orderflowPaymentProviderSimulator(DataSource dataSource,
                                                                      Environment environment) {
        return new PaymentProviderSimulator(dataSource).start(environment.getRequiredProperty(PORT, Integer.class));
    }

    /** Matches when the provider URL is the one the post-processor chose for the simulator. */
    static final class SimulatorChosen extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            if (context.getEnvironment() instanceof ConfigurableEnvironment environment) {
                PropertySource<?> chosen = environment.getPropertySources()
                        .get(EmbeddedInfrastructureEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
                if (chosen != null && chosen.containsProperty(PROVIDER_URL)) {
                    return ConditionOutcome.match("orderflow.payment.provider-url points at the simulator");
                }
            }
            return ConditionOutcome.noMatch("orderflow.payment.provider-url names an external provider, or the "
                    + "simulator or the embedded infrastructure is disabled");
        }
    }
}
