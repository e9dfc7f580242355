package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import jakarta.servlet.Filter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What every benchmark runs on: the system tests' application with the benchmark's unchecked caller. One class for
 * all, so that the benchmarks share one application context; a second context in the same JVM would run processors
 * of its own on the same database beside the first one's, and the figures would measure both.
 */
@Import(BenchmarkContext.UncheckedCaller.class)
abstract class BenchmarkContext extends EmbeddedSystemTest {

    /**
     * For the benchmark only: a request with the header {@value #HEADER} is let in as the shop without a token, so that
     * one run can compare acceptance with token checking (a bearer JWT, its signature and claims, as every caller
     * sends) against the same flow without it. Never part of the application: it exists in the benchmark's test context.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class UncheckedCaller {

        static final String HEADER = "X-Benchmark-Unchecked";

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        SecurityFilterChain uncheckedForTheBenchmark(HttpSecurity http) throws Exception {
            Instant now = Instant.now();
            Jwt shop = Jwt.withTokenValue("unchecked").header("alg", "none").subject("orderflow-shop")
                    .claim("roles", List.of("SERVICE")).issuedAt(now).expiresAt(now.plus(1, ChronoUnit.DAYS)).build();
            JwtAuthenticationToken caller = new JwtAuthenticationToken(shop, List.of(
                    new SimpleGrantedAuthority("ROLE_SERVICE")));
            Filter letIn = (request, response, chain) -> {
                SecurityContextHolder.getContext().setAuthentication(caller);
                chain.doFilter(request, response);
            };
            http.securityMatcher(request -> request.getHeader(HEADER) != null)
                    .csrf(csrf -> csrf.disable())
                    .addFilterBefore(letIn, AuthorizationFilter.class)
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated());
            return http.build();
        }
    }
}
