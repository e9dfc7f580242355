package io.orderflow.projections.settings;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The customers' e-mail notifications ({@code orderflow.notifications.*}, ADR 0011): who sends them, and how a mail
 * that was not sent is retried.
 *
 * @param batchSize  Most records the notifications processor takes in one transaction.
 * @param from       Sender address of the notification e-mails; the prod profile has no default and requires it.
 * @param retryAfter How long after it is recorded a notification not yet marked sent is taken by the retrier (the wait
 *                   then doubles with each attempt, up to an hour).
 * @param retryCheck How often the retrier looks for notifications whose time has come.
 */
@ConfigurationProperties("orderflow.notifications")
@Validated
public record NotificationsProperties(
        @DefaultValue("10") @Min(1) int batchSize,
        @DefaultValue("orders@orderflow.local") @NotBlank String from,
        @DefaultValue("1m") @NotNull @DurationMin(millis = 1) Duration retryAfter,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration retryCheck) {
}
