package io.orderflow.infra.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.orderflow.infra.auth.EmbeddedIssuer.IssuerSettings;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The embedded issuer's context: Spring Authorization Server with OpenID Connect, its four clients and the operator
 * user, a form to sign in, and the claims orderflow reads (roles, the customer id, the audience).
 *
 * <p>Deliberately not a {@code @Configuration}: the application scans {@code io.orderflow} and must not pick these
 * beans up. {@link EmbeddedIssuer} registers this class, and {@link WebSecurity}, in the issuer's own context.
 */
class IssuerConfiguration {

    /** Spring Security's web configuration, in the issuer's context (a no-op repeat where it is already on). */
    @EnableWebSecurity
    static class WebSecurity {
    }

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Bean
    TomcatServletWebServerFactory issuerWebServer(IssuerSettings settings) throws UnknownHostException {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(settings.port());
        factory.setAddress(InetAddress.getByName("127.0.0.1"));
        // Its endpoints are filters; Tomcat runs filters only for a request some servlet is mapped to.
        factory.setRegisterDefaultServlet(true);
        // Cookies are per host, not per port: the application on the same host has a JSESSIONID of its own.
        factory.getSession().getCookie().setName("ORDERFLOW_ISSUER_SESSION");
        return factory;
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signIn(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(IssuerSettings settings, PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(User.withUsername(EmbeddedIssuer.OPERATOR_USER)
                .password(encoder.encode(settings.secrets().operatorPassword()))
                .roles("OPERATOR")
                .build());
    }

    @Bean
    RegisteredClientRepository clients(IssuerSettings settings, PasswordEncoder encoder) {
        TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(EmbeddedIssuer.TOKEN_LIFETIME).build();
        List<RegisteredClient> clients = List.of(
                machine(EmbeddedIssuer.OPERATOR_CLIENT, settings, encoder, tokens),
                machine(EmbeddedIssuer.SHOP_CLIENT, settings, encoder, tokens),
                machine(EmbeddedIssuer.METRICS_CLIENT, settings, encoder, tokens),
                machine(EmbeddedIssuer.DEV_CUSTOMERS_CLIENT, settings, encoder, tokens),
                RegisteredClient.withId(EmbeddedIssuer.DASHBOARD_CLIENT)
                        .clientId(EmbeddedIssuer.DASHBOARD_CLIENT)
                        .clientSecret(encoder.encode(settings.secrets().secretOf(EmbeddedIssuer.DASHBOARD_CLIENT)))
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                        // A loopback address: the issuer accepts it on any port (RFC 8252), the one the run has.
                        .redirectUri("http://127.0.0.1" + EmbeddedIssuer.DASHBOARD_REDIRECT_PATH)
                        .scope(OidcScopes.OPENID)
                        .clientSettings(ClientSettings.builder().requireProofKey(true)
                                .requireAuthorizationConsent(false).build())
                        .tokenSettings(tokens)
                        .build());
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static RegisteredClient machine(String clientId, IssuerSettings settings, PasswordEncoder encoder,
                                            TokenSettings tokens) {
        return RegisteredClient.withId(clientId)
                .clientId(clientId)
                .clientSecret(encoder.encode(settings.secrets().secretOf(clientId)))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenSettings(tokens)
                .build();
    }

    @Bean
    JWKSource<SecurityContext> signingKeys(IssuerSettings settings) {
        return new ImmutableJWKSet<>(new JWKSet(settings.secrets().signingKey()));
    }

    @Bean
    JwtDecoder issuerJwtDecoder(JWKSource<SecurityContext> keys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IssuerSettings settings) {
        return AuthorizationServerSettings.builder().issuer(settings.issuerUrl()).build();
    }

    /** The claims orderflow reads: {@code roles}, {@code customer_id} for a customer, and the audience. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> orderflowClaims() {
        return context -> {
            boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
            boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
            if (!accessToken && !idToken) {
                return;
            }
            String client = context.getRegisteredClient().getClientId();
            List<String> roles = switch (client) {
                case EmbeddedIssuer.OPERATOR_CLIENT -> List.of("OPERATOR");
                case EmbeddedIssuer.SHOP_CLIENT -> List.of("SERVICE");
                case EmbeddedIssuer.METRICS_CLIENT -> List.of("METRICS");
                case EmbeddedIssuer.DEV_CUSTOMERS_CLIENT -> {
                    String customer = requestedCustomer(context);
                    context.getClaims().subject(customer).claim(EmbeddedIssuer.CUSTOMER_CLAIM, customer);
                    yield List.of("CUSTOMER");
                }
                default -> context.getPrincipal().getAuthorities().stream().map(GrantedAuthority::getAuthority)
                        .filter(authority -> authority.startsWith("ROLE_"))
                        .map(authority -> authority.substring("ROLE_".length())).toList();
            };
            context.getClaims().claim(EmbeddedIssuer.ROLES_CLAIM, roles);
            if (accessToken) {
                context.getClaims().audience(List.of(EmbeddedIssuer.AUDIENCE));
            }
        };
    }

    /** The {@code customer_id} parameter of a development customer-token request, a canonical UUID. */
    private static String requestedCustomer(JwtEncodingContext context) {
        Object customer = context.getAuthorizationGrant() instanceof OAuth2ClientCredentialsAuthenticationToken grant
                ? grant.getAdditionalParameters().get(EmbeddedIssuer.CUSTOMER_CLAIM) : null;
        if (!(customer instanceof String id) || !CANONICAL_UUID.matcher(id).matches()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "customer_id must be the customer's id, a lower-case UUID", null));
        }
        return UUID.fromString(id).toString();
    }
}
