package io.orderflow.wiring.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class CommandRetryConfigurationTest {

    private final CommandRetryConfiguration.ConflictRetryScheduler scheduler =
            new CommandRetryConfiguration.ConflictRetryScheduler(IntervalRetryScheduler.builder()
                    .retryExecutor(mock(ScheduledExecutorService.class)).maxRetryCount(3).retryInterval(20),
                    mock(ScheduledExecutorService.class));

    @Test
    void aConflictOnAnOrdersSequenceIsRetried_evenWithTheSqlErrorAsItsCause() {
        ConcurrencyException conflict = new ConcurrencyException("sequence 4 of order x taken",
                new SQLException("duplicate key value violates unique constraint", "23505"));

        assertThat(retried(conflict)).isTrue();
        assertThat(retried(new IllegalStateException("wrapped", conflict))).isTrue();
    }

    @Test
    void everyOtherFailureIsAnsweredAtOnce() {
        assertThat(retried(new IllegalStateException("the order was already cancelled"))).isFalse();
        assertThat(retried(new AggregateStreamCreationException("order x exists",
                new ConcurrencyException("sequence 0 taken")))).isFalse();
    }

    @Test
    void retriesStopAfterTheConfiguredCount() {
        ConcurrencyException conflict = new ConcurrencyException("taken");
        List<Class<? extends Throwable>[]> fourFailures = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fourFailures.add(chain());
        }

        assertThat(scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("cancel"), conflict, fourFailures,
                () -> { })).isFalse();
    }

    private boolean retried(RuntimeException failure) {
        List<Class<? extends Throwable>[]> oneFailure = new java.util.ArrayList<>();
        oneFailure.add(chain());
        return scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("cancel"), failure, oneFailure,
                () -> { });
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] chain() {
        return new Class[]{ConcurrencyException.class};
    }
}
