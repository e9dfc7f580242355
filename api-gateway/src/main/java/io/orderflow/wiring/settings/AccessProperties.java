package io.orderflow.wiring.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What orderflow reads from a token, and how the dashboard signs operators in ({@code orderflow.security.*},
 * ADR 0020). The issuer itself is Spring's spring.security.oauth2.resourceserver.jwt.issuer-uri.
 *
 * @param rolesClaim    Claim of a token that holds the caller's roles (CUSTOMER, SERVICE, OPERATOR).
 * @param customerClaim Claim of a customer's token that holds the customer's id.
 * @param dashboard     The dashboard's client of the issuer.
 */
@ConfigurationProperties("orderflow.security")
@Validated
public record AccessProperties(@DefaultValue("roles") @NotBlank String rolesClaim,
                               @DefaultValue("customer_id") @NotBlank String customerClaim,
                               @DefaultValue @Valid Dashboard dashboard) {

    /**
     * The dashboard's client of the issuer (authorization code with PKCE).
     *
     * @param clientId     Client id of the dashboard at the issuer; empty: the dashboard is not offered. The development
     *                     run fills in its embedded issuer's.
     * @param clientSecret Secret of the dashboard's client.
     * @param redirectUri  Where the issuer sends the operator back after signing in (Spring's {baseUrl} and
     *                     {registrationId} are filled in).
     */
    public record Dashboard(@DefaultValue("") @NotNull String clientId,
                            @DefaultValue("") @NotNull String clientSecret,
                            @DefaultValue("{baseUrl}/login/oauth2/code/{registrationId}") @NotBlank String redirectUri) {

        /** Not the secret: settings may be logged. */
        @Override
        public String toString() {
            return "Dashboard[clientId=" + clientId + ", clientSecret=" + (clientSecret.isEmpty() ? "(none)" : "(set)")
                    + ", redirectUri=" + redirectUri + "]";
        }
    }
}
