package io.orderflow.wiring.instance;

import io.orderflow.wiring.settings.InstanceProperties;
import io.orderflow.wiring.settings.ProcessorsProperties;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Optional;

/**
 * This instance's name ({@link InstanceId}), given to the claims it makes: the segments of the event processors
 * (the token store) and the saga's deadlines (db-scheduler), so that an operator sees which instance holds what.
 */
@Configuration(proxyBeanMethods = false)
public class InstanceConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceConfiguration.class);

    @Bean
    InstanceId instanceId(InstanceProperties instance, ProcessorsProperties processors) {
        Duration claimTimeout = processors.claimTimeout();
        InstanceId id = InstanceId.of(instance.instanceId());
        LOG.info("Instance {}: claims segments as {} (a claim not renewed for {} s is taken over by another "
                + "instance) and deadlines as {}", id.name(), id.owner(), claimTimeout.toSeconds(), id.name());
        return id;
    }

    /** db-scheduler records which instance picked a due deadline under this name. */
    @Bean
    DbSchedulerCustomizer instanceSchedulerName(InstanceId id) {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<SchedulerName> schedulerName() {
                return Optional.of(new SchedulerName.Fixed(id.name()));
            }
        };
    }
}
