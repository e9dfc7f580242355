package io.orderflow.wiring.settings;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * This instance of the application among others ({@code orderflow.instance-id}, {@code orderflow.home},
 * {@code orderflow.public-base-url}).
 *
 * @param instanceId    This instance's name among several (a pod's name, say), carried by its segment and deadline
 *                      claims: 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit;
 *                      empty: pid@host.
 * @param home          Directory of the instance's local state (the address router's stores; the development run's
 *                      data).
 * @param publicBaseUrl Address where clients and consumers reach this API (https://orders.example.com); every Kafka
 *                      record names its schema under it. Outside the prod profile it defaults to
 *                      http://localhost:{server.port}; the prod profile requires it.
 */
@ConfigurationProperties("orderflow")
@Validated
public record InstanceProperties(
        @DefaultValue("") @NotNull @Pattern(regexp = "|\\s*[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\\s*", message = "must be empty or 1 to 64 "
                + "letters, digits, '.', '_', '-' or '@', starting with a letter or digit") String instanceId,
        @DefaultValue("./.orderflow") @NotBlank String home,
        @NotBlank @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String publicBaseUrl) {
}
