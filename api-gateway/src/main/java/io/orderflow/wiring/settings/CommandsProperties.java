package io.orderflow.wiring.settings;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Commands that conflict with another instance's write ({@code orderflow.commands.*}, ADR 0034).
 *
 * @param conflictRetries       Attempts of a command whose aggregate another instance changed first, the first
 *                              included.
 * @param conflictRetryInterval Pause before a conflicting command is tried again.
 */
@ConfigurationProperties("orderflow.commands")
@Validated
public record CommandsProperties(@DefaultValue("3") @Min(1) int conflictRetries,
                                 @DefaultValue("20ms") @NotNull @DurationMin(millis = 0)
                                 Duration conflictRetryInterval) {
}
