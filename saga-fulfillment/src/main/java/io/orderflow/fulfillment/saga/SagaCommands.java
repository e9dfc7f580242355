package io.orderflow.fulfillment.saga;

import io.orderflow.fulfillment.settings.FulfillmentProperties;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the saga's commands so that each one commits in a transaction of its own before the saga step goes on
 * (ADR 0008). Sent from the saga's thread, a command would join the saga processor's transaction, and a refused
 * command would mark that whole transaction rollback-only: the processor would retry the same event forever and
 * hold up every other saga of its segment. Here a refusal is an exception the saga can handle. Every command is
 * idempotent, so if the process dies after a command committed and before the saga did, sending it again on
 * redelivery changes nothing.
 *
 * <p>The correlation data of the event being handled (trace id, correlation id) travels with the command, as it
 * would have on the saga's own thread, and so does its trace (ADR 0045): the command's thread opens a span that is a
 * child of the saga step's span, so the command and what it causes stay in the order's trace.
 */
@Component
public class SagaCommands implements DisposableBean {

    private final CommandGateway gateway;
    private final Executor executor;
    private final Duration timeout;
    private final SpanFactory spans;

    @Autowired
    public SagaCommands(CommandGateway gateway, SpanFactory spans, FulfillmentProperties settings) {
        this(gateway, Executors.newCachedThreadPool(new NamedThreads()), settings.commandTimeout(), spans);
    }

    SagaCommands(CommandGateway gateway, Executor executor, Duration timeout) {
        this(gateway, executor, timeout, NoOpSpanFactory.INSTANCE);
    }

    SagaCommands(CommandGateway gateway, Executor executor, Duration timeout, SpanFactory spans) {
        this.gateway = gateway;
        this.executor = executor;
        this.timeout = timeout;
        this.spans = spans;
    }

    /** Commands run on the caller's thread: for saga fixtures, where no transaction is involved. */
    public static SagaCommands onCallerThread(CommandGateway gateway) {
        return new SagaCommands(gateway, Runnable::run, Duration.ofSeconds(30));
    }

    /** Sends the command, waits for its handler to commit, and answers its result. */
    public <R> R send(Object command) {
        MetaData correlation = CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get().getCorrelationData() : MetaData.emptyInstance();
        CommandMessage<Object> message = GenericCommandMessage.asCommandMessage(command).andMetaData(correlation);
        // The caller's span context, carried to the command's thread in a copy of the message.
        CommandMessage<Object> traced = spans.propagateContext(message);
        CompletableFuture<R> result = CompletableFuture.supplyAsync(() -> spans.createChildHandlerSpan(
                () -> "SagaCommands.send(" + command.getClass().getSimpleName() + ")", traced)
                .runSupplier(() -> gateway.sendAndWait(message)), executor);
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("command " + command.getClass().getSimpleName() + " did not finish within "
                    + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + command.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void destroy() {
        if (executor instanceof ExecutorService service) {
            service.shutdown();
        }
    }

    private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "saga-command-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
