package io.orderflow.wiring.settings;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gap audit, which compares the event store with the projections ({@code orderflow.audit.*}).
 *
 * @param interval How often the gap audit runs (also on demand: GET /api/admin/gap-audit).
 */
@ConfigurationProperties("orderflow.audit")
@Validated
public record AuditProperties(@DefaultValue("60s") @NotNull @DurationMin(millis = 1) Duration interval) {
}
