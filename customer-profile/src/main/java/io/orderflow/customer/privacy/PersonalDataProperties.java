package io.orderflow.customer.privacy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The keys of the customers' personal data ({@code orderflow.personal-data.*}, ADR 0032).
 *
 * <p>The master key is required: without it no personal data can be written or read. Its form (32 bytes in base64) is
 * checked by {@link PersonalDataCipher}, not here, so that a start-failure report never prints a wrong key.
 *
 * @param masterKey   Master key that wraps every customer's data key: 32 random bytes in base64 (openssl rand -base64
 *                    32), kept as safe as the database password and apart from the database's backups. The
 *                    development run makes one under orderflow.home.
 * @param keyCacheTtl How long an opened data key is kept in memory; after a customer is erased, another instance may
 *                    still use its cached key for this long.
 */
@ConfigurationProperties("orderflow.personal-data")
@Validated
public record PersonalDataProperties(
        @DefaultValue("")
        @NotBlank(message = "must be set (ORDERFLOW_PERSONAL_DATA_MASTER_KEY) to 32 random bytes in base64, for example "
                + "the output of `openssl rand -base64 32`, and kept as safe as the database password: every customer's "
                + "data key is wrapped with it, and without the same key no personal data can be read again")
        String masterKey,
        @DefaultValue("5m") @NotNull @DurationMin(millis = 0) Duration keyCacheTtl) {

    /** Not the key itself: settings may be logged. */
    @Override
    public String toString() {
        return "PersonalDataProperties[masterKey=" + (masterKey.isBlank() ? "(none)" : "(set)") + ", keyCacheTtl="
                + keyCacheTtl + "]";
    }
}
