package io.orderflow.fulfillment.settings;

import jakarta.validation.constraints.NotNull;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The crash tests' hook ({@code orderflow.crash-points}): off unless points are named. Honoured only by the development
 * launcher outside the prod profile; anywhere else a named point stops the start.
 *
 * @param crashPoints Points of the fulfillment flow where the process kills itself with SIGKILL (after-stock-reserved,
 *                    before-payment-call, after-payment-answer, before-shipment, during-compensation): a test hook of
 *                    the crash tests, never set in a normal run.
 */
@ConfigurationProperties("orderflow")
@Validated
public record CrashPointProperties(@DefaultValue @NotNull Set<String> crashPoints) {
}
