package io.orderflow.fulfillment.settings;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The payment provider's client ({@code orderflow.payment.*}): where the provider is, how long a call may take, and
 * how a call that got no answer is repeated (with the same idempotency key). The development run's simulator has
 * settings of its own under {@code orderflow.payment.simulator} (the launcher's).
 *
 * @param providerUrl    Base URL of the payment provider (ORDERFLOW_PAYMENT_PROVIDER_URL); required. The development
 *                       run fills in its simulator's.
 * @param connectTimeout How long the client waits for a connection to the payment provider.
 * @param requestTimeout How long the client waits for the payment provider's answer to one request.
 * @param attempts       Attempts of one payment provider call that gets no answer (a timeout, a 5xx), the first
 *                       included.
 * @param backoff        Pause before the second attempt of a payment provider call; it doubles with each attempt.
 */
@ConfigurationProperties("orderflow.payment")
@Validated
public record PaymentProperties(
        @NotBlank @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String providerUrl,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration requestTimeout,
        @DefaultValue("3") @Min(1) int attempts,
        @DefaultValue("100ms") @NotNull @DurationMin(millis = 0) Duration backoff) {
}
