package io.orderflow.connect;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Kafka Connect cluster the application applies its connector files to ({@code orderflow.connect.*}, ADR 0026).
 * The development run's embedded worker has settings of its own under the same prefix (the launcher's).
 *
 * @param url             REST API of the Kafka Connect cluster that gets the connector files at start-up; empty: no
 *                        connectors are applied (the development run fills in its embedded worker's).
 * @param applyConnectors Whether the connector files are applied; false leaves the cluster's connectors to an operator.
 * @param startTimeout    How long the installer waits for the Connect cluster to answer before it gives up (until the
 *                        next start).
 */
@ConfigurationProperties("orderflow.connect")
@Validated
public record ConnectProperties(
        @DefaultValue("") @NotNull @Pattern(regexp = "|https?://\\S+", message = "must be empty or an http(s) URL")
        String url,
        @DefaultValue("true") boolean applyConnectors,
        @DefaultValue("5m") @NotNull @DurationMin(millis = 1) Duration startTimeout) {
}
