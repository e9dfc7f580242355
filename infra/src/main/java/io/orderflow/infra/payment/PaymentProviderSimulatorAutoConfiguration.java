package io.orderflow.infra.payment;

import io.orderflow.infra.EmbeddedInfrastructureEnvironmentPostProcessor;
import io.orderflow.infra.EmbeddedInfrastructureProperties;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
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
@EnableConfigurationProperties(EmbeddedInfrastructureProperties.class)
public class PaymentProviderSimulatorAutoConfiguration {

    /** The payment provider's base URL (env {@code ORDERFLOW_PAYMENT_PROVIDER_URL}). */
    public static final String PROVIDER_URL = "orderflow.payment.provider-url";
    /** Whether the simulator may start when no provider URL is given (default true). */
    public static final String ENABLED = "orderflow.payment.simulator.enabled";
    /** The simulator's port, 0 (the default) for a free one. */
    public static final String PORT = "orderflow.payment.simulator.port";
    /**
     * The simulator's own database connection (its role, its schema); set by the embedded run. Without it the
     * simulator uses the application's DataSource.
     */
    public static final String DATASOURCE_URL = "orderflow.payment.simulator.datasource.url";
    public static final String DATASOURCE_USERNAME = "orderflow.payment.simulator.datasource.username";
    public static final String DATASOURCE_PASSWORD = "orderflow.payment.simulator.datasource.password";

    /** The running simulator. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean
    public PaymentProviderSimulator orderflowPaymentProviderSimulator(SimulatorDatabase database,
                                                                      EmbeddedInfrastructureProperties settings) {
        return new PaymentProviderSimulator(database.dataSource()).start(settings.payment().simulator().port());
    }

    /** Where the simulator keeps its ledger: a small pool of its own role's connections, or the application's. */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean
    public SimulatorDatabase orderflowPaymentSimulatorDatabase(ObjectProvider<DataSource> application,
                                                               EmbeddedInfrastructureProperties settings) {
        EmbeddedInfrastructureProperties.SimulatorDatabase login = settings.payment().simulator().datasource();
        String url = login.url();
        if (url == null || url.isBlank()) {
            return new SimulatorDatabase(application.getObject(), null);
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("payment-simulator");
        pool.setJdbcUrl(url);
        pool.setUsername(login.username());
        pool.setPassword(login.password());
        // The straight path calls the provider for many orders side by side (ORDERFLOW_FULFILLMENT_PARALLELISM).
        pool.setMaximumPoolSize(16);
        return new SimulatorDatabase(pool, pool);
    }

    /**
     * The simulator's DataSource, and the pool to close with it if it is the simulator's own. Not a
     * {@link DataSource} bean: the application has exactly one.
     */
    public record SimulatorDatabase(DataSource dataSource, HikariDataSource own) implements AutoCloseable {
        @Override
        public void close() {
            if (own != null) {
                own.close();
            }
        }
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
