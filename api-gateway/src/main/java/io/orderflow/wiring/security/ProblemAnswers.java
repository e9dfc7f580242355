package io.orderflow.wiring.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/**
 * The API's 401 and 403 as problem+json, like its other errors, with the standard {@code WWW-Authenticate} header of
 * a bearer-token resource server (RFC 6750). They say what is missing, never why a token was refused in detail.
 */
final class ProblemAnswers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException authException) throws IOException {
        bearer.commence(request, response, authException);
        write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                "send a valid bearer token of the configured issuer for the audience of this API");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException accessDeniedException) throws IOException {
        bearerDenied.handle(request, response, accessDeniedException);
        write(response, HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                "your role does not allow " + request.getMethod() + " " + request.getRequestURI());
    }

    static void write(HttpServletResponse response, HttpStatus status, String type, String title,
                              String detail) throws IOException {
        ObjectNode problem = JSON.createObjectNode()
                .put("type", "/problems/" + type)
                .put("title", title)
                .put("status", status.value())
                .put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
