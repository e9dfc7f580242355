package io.orderflow.billing.settings;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The billing context ({@code orderflow.billing.*}, ADR 0024): whose documents it issues, in which time zone, and its
 * processor's batches.
 *
 * @param zone      Time zone of an invoice's or credit note's date, and so of the year its number counts in.
 * @param issuer    Who issues the invoices and credit notes, printed on every document; the prod profile has no
 *                  default and requires it.
 * @param batchSize Most records the billing processor takes in one transaction.
 */
@ConfigurationProperties("orderflow.billing")
@Validated
public record BillingProperties(@DefaultValue("UTC") @NotNull ZoneId zone,
                                @DefaultValue("orderflow demo shop") @NotBlank String issuer,
                                @DefaultValue("100") @Min(1) int batchSize) {
}
