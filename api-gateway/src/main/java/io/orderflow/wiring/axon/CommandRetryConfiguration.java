package io.orderflow.wiring.axon;

import io.orderflow.wiring.settings.CommandsProperties;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Commands for one order may reach different instances (ADR 0034). Each instance caches the orders it handled last,
 * so a command can meet an order that another instance has changed since: its events are then appended at a
 * sequence number already taken, the event store's unique index refuses them (a {@link ConcurrencyException}, never
 * a fork), the unit of work rolls back and the stale copy leaves the cache. The gateway sends such a command again,
 * and the retry loads the order as it now is. Any other failure is answered at once.
 */
@Configuration(proxyBeanMethods = false)
class CommandRetryConfiguration {

    /**
     * The retry scheduler, with a thread of its own. The thread is not a bean: a {@code ScheduledExecutorService}
     * bean would displace Spring Boot's task scheduler, and every {@code @Scheduled} job would run on it.
     */
    @Bean(destroyMethod = "shutdown")
    ConflictRetryScheduler commandRetryScheduler(CommandsProperties settings) {
        // At least one attempt and no negative pause: CommandsProperties is validated when it is bound.
        int retries = settings.conflictRetries();
        Duration interval = settings.conflictRetryInterval();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        return new ConflictRetryScheduler(IntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .maxRetryCount(retries)
                .retryInterval((int) interval.toMillis()), executor);
    }

    /**
     * Axon's interval retry, for conflicts only. Its own test asks a predicate of the failure and of every cause,
     * and retries only if none says no; a conflict's cause (the unique index's SQL error) is no conflict itself, so
     * the whole failure is judged here instead.
     */
    static final class ConflictRetryScheduler extends IntervalRetryScheduler {

        private final ScheduledExecutorService executor;

        ConflictRetryScheduler(IntervalRetryScheduler.Builder builder, ScheduledExecutorService executor) {
            super(builder);
            this.executor = executor;
        }

        void shutdown() {
            executor.shutdownNow();
        }

        @Override
        protected boolean isExplicitlyNonTransient(Throwable failure) {
            return !isConflict(failure);
        }
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, ConflictRetryScheduler commandRetryScheduler) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(commandRetryScheduler).build();
    }

    /**
     * Whether {@code failure} (or one of its causes) is a conflict on an existing aggregate's sequence numbers. A
     * second creation of one aggregate (an order placed again under its id) is final: retried, it would fail alike.
     */
    static boolean isConflict(Throwable failure) {
        boolean conflict = false;
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof AggregateStreamCreationException) {
                return false;
            }
            conflict |= cause instanceof ConcurrencyException;
        }
        return conflict;
    }
}
