package io.orderflow.gateway.web;

import io.orderflow.wiring.axon.TraceMetadata;
import io.orderflow.wiring.settings.ApiProperties;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a command on behalf of an HTTP request and waits, bounded, for its result. The request's trace id (and the
 * client's own, if it sent one) goes into the command's metadata, from where Axon copies it onto every event and
 * message that follows.
 */
@Component
public class Commands {

    private final CommandGateway commandGateway;
    private final Duration timeout;

    Commands(CommandGateway commandGateway, ApiProperties settings) {
        this.commandGateway = commandGateway;
        this.timeout = settings.commandTimeout();
    }

    public <R> R send(Object command, String traceId) {
        Map<String, String> metaData = new HashMap<>();
        metaData.put(TraceMetadata.TRACE_ID, traceId);
        TraceIds.currentClientTraceId().ifPresent(client -> metaData.put(TraceIds.CLIENT_METADATA, client));
        var message = GenericCommandMessage.asCommandMessage(command).andMetaData(metaData);
        try {
            return commandGateway.<R>send(message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("command " + command.getClass().getSimpleName() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new CommandTimeoutException("no outcome for " + command.getClass().getSimpleName()
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandTimeoutException("interrupted while waiting for the outcome", e);
        }
    }
}
