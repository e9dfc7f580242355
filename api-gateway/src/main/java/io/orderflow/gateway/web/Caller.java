package io.orderflow.gateway.web;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.wiring.settings.AccessProperties;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who is calling, as the API decides what they may see of a resource: an operator or a service acts for any
 * customer; a customer only for the one their token names. Another customer's order or profile is answered as not
 * found, so that ids cannot be probed.
 */
@Component
public class Caller {

    private final String customerClaim;

    Caller(AccessProperties settings) {
        this.customerClaim = settings.customerClaim();
    }

    /** The authenticated caller of this request. */
    public Identity current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            throw new IllegalStateException("no authenticated caller: the security rules must authenticate "
                    + "every request that reaches the API");
        }
        Set<String> roles = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length())).collect(Collectors.toUnmodifiableSet());
        CustomerId customer = null;
        if (authentication instanceof JwtAuthenticationToken jwt) {
            String claim = jwt.getToken().getClaimAsString(customerClaim);
            customer = parse(claim);
        }
        return new Identity(authentication.getName(), roles, customer);
    }

    private static CustomerId parse(String claim) {
        if (claim == null) {
            return null;
        }
        try {
            return new CustomerId(UUID.fromString(claim));
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    /**
     * @param subject  the token's subject (or the signed-in operator's name)
     * @param roles    CUSTOMER, SERVICE, OPERATOR
     * @param customer the customer a customer's token names; null for others, or a token without one
     */
    public record Identity(String subject, Set<String> roles, CustomerId customer) {

        /** Operators and services act for any customer. */
        public boolean actsForAnyCustomer() {
            return roles.contains("OPERATOR") || roles.contains("SERVICE");
        }

        /** Whether this caller may see and change what belongs to {@code owner}. */
        public boolean mayActFor(CustomerId owner) {
            return actsForAnyCustomer() || (customer != null && customer.equals(owner));
        }

        /** Throws the not-found the caller would get for a resource that does not exist. */
        public void requireActingFor(CustomerId owner, String notFound) {
            if (!mayActFor(owner)) {
                throw new NotFoundException(notFound);
            }
        }
    }
}
