package io.orderflow.wiring.security;

import io.orderflow.wiring.settings.AccessProperties;
import io.orderflow.wiring.settings.ApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may call what (docs/security.md). Every request but the liveness and readiness probes is authenticated: by a
 * bearer JWT of the configured OpenID Connect issuer for this API's audience (scripts, services, customers' apps),
 * or by the session of an operator signed in to the dashboard (authorization code with PKCE). The rules per path
 * are below; what a customer may see of a resource (only their own) is decided by the API where the resource is.
 * A path without a rule is refused, so a new endpoint is closed until it is given one, and {@code SecurityIT}, which
 * tries every mapping of the application, names it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** Reads open to any signed-in caller, whatever their role; every other path needs a role. */
    public static final List<String> ANY_CALLER_READS = List.of("/api/catalogue", "/api/inventory/**",
            "/api/quotes/**", "/api/contracts", "/api/contracts/**", "/api/asyncapi");

    /** The registration id of the dashboard's client of the issuer. */
    public static final String DASHBOARD_REGISTRATION = "orderflow";

    /**
     * Calls that carry an {@code Authorization} header: programs with a bearer JWT. Stateless: no session is read or
     * made, no CSRF token is checked or handed out (a browser never adds this header to a cross-site request by
     * itself), and nothing of the dashboard's sign-in is on the way. Same rules per path as the dashboard's chain.
     */
    @Bean
    @Order(1)
    SecurityFilterChain bearerCalls(HttpSecurity http, JwtAuthenticationConverter tokenRoles,
                                    @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer,
                                    WriteRateLimits rateLimits) throws Exception {
        ProblemAnswers problems = new ProblemAnswers();
        http.securityMatcher(request -> request.getHeader("Authorization") != null);
        rules(http);
        http.oauth2ResourceServer(resourceServer -> resourceServer
                .jwt(jwt -> jwt.jwtAuthenticationConverter(tokenRoles))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems));
        http.exceptionHandling(exceptions -> exceptions.accessDeniedHandler(problems)
                .authenticationEntryPoint(problems));
        http.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        http.csrf(csrf -> csrf.disable());
        http.requestCache(cache -> cache.disable());
        http.addFilterAfter(rateLimits, AuthorizationFilter.class);
        headers(http, issuer);
        return http.build();
    }

    /**
     * Everything else: the dashboard's operators signed in with a session (authorization code with PKCE), and
     * callers with no credentials at all, who are answered 401 (a problem for the API, the sign-in for pages).
     */
    @Bean
    @Order(2)
    SecurityFilterChain sessionCalls(HttpSecurity http, ObjectProvider<ClientRegistrationRepository> dashboardClients,
                                     AccessProperties access,
                                     @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer,
                                     WriteRateLimits rateLimits) throws Exception {
        String rolesClaim = access.rolesClaim();
        ProblemAnswers problems = new ProblemAnswers();
        rules(http);
        http.exceptionHandling(exceptions -> exceptions.accessDeniedHandler(problems)
                .defaultAuthenticationEntryPointFor(problems, apiRequests()));
        // A cross-site page can make a browser send the session cookie: a change made with a session needs the CSRF
        // token (the dashboard sends it in X-XSRF-TOKEN, from its cookie). A request with no session is not checked
        // for one: it is answered 401 like any other.
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                .requireCsrfProtectionMatcher(request -> !SAFE_METHODS.contains(request.getMethod())
                        && request.getSession(false) != null));
        http.addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class);
        http.addFilterAfter(rateLimits, AuthorizationFilter.class);
        headers(http, issuer);
        ClientRegistrationRepository clients = dashboardClients.getIfAvailable();
        if (clients != null) {
            DefaultOAuth2AuthorizationRequestResolver withPkce = new DefaultOAuth2AuthorizationRequestResolver(
                    clients, OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
            withPkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
            http.oauth2Login(login -> login
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(withPkce))
                    .userInfoEndpoint(userInfo -> userInfo.userAuthoritiesMapper(rolesOfIdToken(rolesClaim)))
                    // Back to the view the operator asked for before signing in.
                    .defaultSuccessUrl("/dashboard/", false));
            // Signing out ends the issuer's session too (OpenID Connect RP-initiated logout); otherwise the next
            // visit would be signed in again at once.
            http.logout(logout -> logout.logoutSuccessHandler(new OidcClientInitiatedLogoutSuccessHandler(clients)));
            http.exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint(OAuth2AuthorizationRequestRedirectFilter
                            .DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/" + DASHBOARD_REGISTRATION),
                    request -> !apiRequests().matches(request)));
        }
        return http.build();
    }

    /** One limiter table for both chains: a caller's writes count the same whichever way they come. */
    @Bean
    WriteRateLimits writeRateLimits(ApiProperties api, MeterRegistry meters) {
        return new WriteRateLimits(api.rateLimit().customerWritesPerSecond(), api.rateLimit().writesPerSecond(),
                meters);
    }

    /** Keeps the limiter out of the servlet container's own filter chain: it runs inside the security chains. */
    @Bean
    FilterRegistrationBean<WriteRateLimits> writeRateLimitsNotAServletFilter(WriteRateLimits rateLimits) {
        FilterRegistrationBean<WriteRateLimits> registration = new FilterRegistrationBean<>(rateLimits);
        registration.setEnabled(false);
        return registration;
    }

    /** Who may call what, the same whether the caller came with a token or a session. */
    private static void rules(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness", "/error").permitAll()
                .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole(Roles.METRICS, Roles.OPERATOR)
                .requestMatchers("/api/admin/**", "/api/analytics/**", "/actuator/**", "/v3/api-docs/**",
                        "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html", "/dashboard", "/dashboard/**",
                        "/webjars/**").hasRole(Roles.OPERATOR)
                .requestMatchers(HttpMethod.PUT, "/api/catalogue/**", "/api/inventory/**").hasRole(Roles.OPERATOR)
                .requestMatchers(HttpMethod.POST, "/api/customers").hasAnyRole(Roles.SERVICE, Roles.OPERATOR)
                // Erasing personal data: the customer themself (CustomerController checks it is their own) or an
                // operator; not the shop's service (ADR 0032).
                .requestMatchers(HttpMethod.DELETE, "/api/customers/*").hasAnyRole(Roles.CUSTOMER, Roles.OPERATOR)
                .requestMatchers("/api/orders", "/api/orders/**", "/api/customers/**")
                .hasAnyRole(Roles.CUSTOMER, Roles.SERVICE, Roles.OPERATOR)
                // A customer reads only the documents of their own orders (InvoiceController answers others as 404).
                .requestMatchers(HttpMethod.GET, "/api/invoices", "/api/invoices/**")
                .hasAnyRole(Roles.CUSTOMER, Roles.SERVICE, Roles.OPERATOR)
                .requestMatchers(HttpMethod.GET, ANY_CALLER_READS.toArray(String[]::new)).authenticated()
                .anyRequest().denyAll());
    }

    private static void headers(HttpSecurity http, String issuer) throws Exception {
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; "
                        + "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
                        // Signing out posts to /logout, which sends the browser on to the issuer's end of session.
                        + "form-action 'self' " + origin(issuer) + "; frame-ancestors 'none'"))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
    }

    /** The scheme, host and port of a URL, for a policy directive. */
    private static String origin(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    /** Requests a program makes: they get a 401 problem, not a redirect to a sign-in page. */
    private static RequestMatcher apiRequests() {
        return request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return path.startsWith("/api/") || path.startsWith("/actuator") || path.startsWith("/v3/api-docs")
                    || request.getHeader("Authorization") != null;
        };
    }

    /** A token's roles claim, each role an authority {@code ROLE_<role>}. */
    @Bean
    JwtAuthenticationConverter tokenRoles(AccessProperties access) {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(access.rolesClaim());
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }

    /**
     * The dashboard's client of the issuer, when one is configured (a condition cannot read a bean: the key is
     * AccessProperties' dashboard client id).
     */
    @Bean
    @ConditionalOnExpression("!'${orderflow.security.dashboard.client-id:}'.isBlank()")
    ClientRegistrationRepository dashboardClients(
            @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer, AccessProperties access) {
        AccessProperties.Dashboard client = access.dashboard();
        ClientRegistration dashboard = ClientRegistrations.fromIssuerLocation(issuer)
                .registrationId(DASHBOARD_REGISTRATION)
                .clientId(client.clientId())
                .clientSecret(client.clientSecret())
                .scope("openid")
                .redirectUri(client.redirectUri())
                .build();
        return new InMemoryClientRegistrationRepository(dashboard);
    }

    /** An operator signed in to the dashboard has the roles their ID token names. */
    private static GrantedAuthoritiesMapper rolesOfIdToken(String rolesClaim) {
        return authorities -> {
            Set<GrantedAuthority> mapped = new HashSet<>();
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidc) {
                    List<String> roles = oidc.getIdToken().getClaimAsStringList(rolesClaim);
                    if (roles != null) {
                        roles.forEach(role -> mapped.add(new SimpleGrantedAuthority("ROLE_" + role)));
                    }
                }
            }
            return mapped;
        };
    }

    /** Makes the CSRF token (and so its cookie) exist on every answer, for the dashboard's script to send back. */
    private static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
