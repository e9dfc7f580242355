package io.orderflow.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.wiring.security.SecurityConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the served OpenAPI document ({@code /v3/api-docs}) says beyond what springdoc reads from the controllers and
 * their {@code @Operation} and {@code @ApiResponse} annotations: the areas of the API for people, the errors that
 * follow from an operation's shape, problem+json for every error, the headers clients rely on, an example for every
 * request body, and a server URL that does not depend on the port a run happens to use. The document is committed
 * as {@code docs/openapi.json} and {@code OpenApiIT} fails when the served one differs from it.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocument {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";
    static final String BEARER = "bearer";
    private static final ObjectMapper EXAMPLES = new ObjectMapper();

    /** The areas, in the order Swagger UI shows them, with the path prefix that puts an operation in each. */
    private static final List<Area> AREAS = List.of(
            new Area("Orders", "Place, read and cancel orders; a customer's orders, newest first.",
                    List.of("/api/orders", "/api/customers/{customerId}/orders")),
            new Area("Customers", "Register customers and change their shipping and billing addresses.",
                    List.of("/api/customers")),
            new Area("Catalogue", "The items and prices that orders are priced from.", List.of("/api/catalogue")),
            new Area("Inventory", "Stock per SKU: available, reserved and shipped.", List.of("/api/inventory")),
            new Area("Quotes", "What delivery to an address would cost.", List.of("/api/quotes")),
            new Area("Invoices", "The billing context's invoices and credit notes, as data and as PDF documents.",
                    List.of("/api/invoices")),
            new Area("Analytics", "Figures of the analytics context, read from Kafka.", List.of("/api/analytics")),
            new Area("Event contracts", "The JSON Schemas of the events other teams read from Kafka, and the AsyncAPI "
                    + "document of the topics.",
                    List.of("/api/contracts", "/api/asyncapi")),
            new Area("Operations", "The operator console: processors, replays, dead letters, sagas, the gap audit, "
                    + "Kafka topics, stored events and traces, payments and notifications.",
                    List.of("/api/admin")));

    record Area(String name, String description, List<String> prefixes) {
    }

    /** Properties that may be null in answers whose records live outside the web layer (the gap audit's). */
    private static final Map<String, List<String>> NULLABLE = Map.of(
            "ProjectionResult", List.of("horizon"),
            "Gap", List.of("appliedSequence"));

    /** A property annotated {@code @Nullable} (as the published languages' views are) may be null in the JSON. */
    @Bean
    PropertyCustomizer nullableProperties() {
        return (property, type) -> {
            Annotation[] annotations = type.getCtxAnnotations();
            if (property != null && annotations != null && Arrays.stream(annotations)
                    .anyMatch(annotation -> annotation.annotationType().getSimpleName().equals("Nullable"))) {
                property.setNullable(true);
            }
            return property;
        };
    }

    @Bean
    OpenApiCustomizer orderflowApiDocument() {
        return openApi -> {
            openApi.info(new Info().title("orderflow").version("0.1.0")
                    .description("An event-sourced order system: commands are accepted synchronously, everything "
                            + "after acceptance is eventual. Errors are application/problem+json (RFC 9457). Every "
                            + "answer carries X-Trace-Id. Every call carries a bearer JWT of the configured OpenID "
                            + "Connect issuer for the audience orderflow-api, whose roles claim says what it may do: "
                            + "CUSTOMER (their own profile and orders; the token's customer_id says who), SERVICE "
                            + "(registers customers and acts for any of them), OPERATOR (everything, the operations "
                            + "API included)."));
            openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
            openApi.servers(List.of(new Server().url("/").description("this orderflow")));
            openApi.tags(AREAS.stream().map(area -> new Tag().name(area.name()).description(area.description()))
                    .toList());
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT")
                    .description("An access token of the configured issuer (the development run embeds one; "
                            + "endpoints.properties names its token endpoint and clients)"));
            components.addSchemas(FIELD_ERROR, fieldError());
            components.addSchemas(PROBLEM, problem());
            openApi.components(components);
            // Answers built from records of other modules, which carry no OpenAPI annotations.
            NULLABLE.forEach((schema, properties) -> {
                Schema<?> model = components.getSchemas().get(schema);
                if (model != null && model.getProperties() != null) {
                    properties.forEach(property -> {
                        Schema<?> field = model.getProperties().get(property);
                        if (field != null) {
                            field.setNullable(true);
                        }
                    });
                }
            });
            Map<String, PathItem> sorted = new TreeMap<>(openApi.getPaths());
            sorted.forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    describe(path, method, operation)));
        };
    }

    /**
     * The errors an operation answers come from two places. What follows from its shape is added here: every
     * operation may fail with 500; one with a body may get a body that is not JSON (400), too large (413) or of
     * another type (415); one with a typed parameter (a UUID, a number) may get one that is not of its type (400).
     * What follows from its logic (404, 409, 422, 502, 503 and a 400 for a refused text value) is declared on the
     * controller method with {@code @ApiResponse}, next to the code that answers it. Every error answer is
     * problem+json.
     */
    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        operation.setTags(List.of(areaOf(path)));
        ApiResponses responses = operation.getResponses();
        // springdoc adds a 200 from the return type; an operation that declares another success status has none.
        if (responses.keySet().stream().anyMatch(status -> status.startsWith("2") && !status.equals("200"))) {
            ApiResponse ok = responses.remove("200");
            responses.forEach((status, response) -> {
                if (status.startsWith("2") && !status.equals("204") && response.getContent() == null && ok != null) {
                    response.setContent(ok.getContent());
                }
            });
        }
        if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
            // springdoc leaves out the default 200 of a method that declares its error answers.
            throw new IllegalStateException(method + " " + path + " documents no success answer: declare "
                    + "@ApiResponse(responseCode = \"200\") beside its error answers");
        }
        if (path.equals("/api/admin/payments") && responses.get("200") != null) {
            // The provider's ledger entries, passed on as the provider gives them: a list of objects.
            responses.get("200").setContent(new Content().addMediaType("application/json",
                    new MediaType().schema(new ArraySchema().items(new ObjectSchema()))));
        }
        boolean hasBody = operation.getRequestBody() != null;
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        Map<String, String> errors = new LinkedHashMap<>();
        if (hasBody) {
            errors.put("400", "The request is not valid; errors[] names each refused field");
            errors.put("413", "The request body is too large");
            errors.put("415", "The request body is not application/json");
        } else if (parameters.stream().anyMatch(ApiDocument::typed)) {
            errors.put("400", "A parameter is not of its type; errors[] names it");
        }
        errors.put("401", "No token, or one that is expired, forged, of another issuer or for another audience");
        if (!(method == PathItem.HttpMethod.GET && anyCallerMayRead(path))) {
            errors.put("403", "The token's role does not allow this");
        }
        boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD
                && method != PathItem.HttpMethod.OPTIONS;
        if (write && path.startsWith("/api/")) {
            errors.put("429", "More writes per second than this caller may make; Retry-After says when to retry");
        }
        errors.put("500", "An unexpected error; the answer names an error id to quote");
        if (path.startsWith("/api/")) {
            errors.put("503", "Busy: as many requests are handled (or reads wait) as the server allows at once "
                    + "(type /problems/overloaded), or the database cannot be reached (type "
                    + "/problems/database-unavailable); Retry-After says when to retry");
        }
        errors.forEach((status, description) -> responses.putIfAbsent(status, new ApiResponse()
                .description(description)));
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
            response.addHeaderObject(TraceIds.HEADER, new Header()
                    .description("the system's trace id of this request, made by the server")
                    .schema(new StringSchema()));
            response.addHeaderObject(TraceIds.CLIENT_HEADER, new Header()
                    .description("the client's own trace id, when it sent one of the allowed form")
                    .schema(new StringSchema()));
            if (status.equals("429") || status.equals("503")) {
                response.addHeaderObject("Retry-After", new Header()
                        .description("seconds to wait before trying again").schema(new IntegerSchema()));
            }
        });
        describeHeaders(path, method, operation, parameters);
        Optional.ofNullable(operation.getRequestBody()).map(body -> body.getContent())
                .map(content -> content.get("application/json"))
                .ifPresent(json -> example(operation.getOperationId()).ifPresent(json::setExample));
    }

    /** The headers clients rely on: the trace id they may send, and what a read says about its freshness. */
    private static void describeHeaders(String path, PathItem.HttpMethod method, Operation operation,
                                        List<Parameter> parameters) {
        operation.addParametersItem(new HeaderParameter().name(TraceIds.CLIENT_HEADER).required(false)
                .description("The client's own id for this request: kept beside the system's trace id (as "
                        + "clientTraceId in the metadata of what follows) and answered back; dropped when not of "
                        + "this form. A client that sends it as X-Trace-Id, as before, is heard the same way; the "
                        + "system's trace id is always its own")
                .schema(new StringSchema().pattern("^" + TraceIds.FORMAT + "$")));
        ApiResponse ok = operation.getResponses().get("200");
        if (method != PathItem.HttpMethod.GET || ok == null) {
            return;
        }
        boolean waitsForVersion = parameters.stream().anyMatch(parameter -> parameter.getName().equals("minVersion"));
        Optional<String> projection = RebuildNoticeFilter.projectionRead(path.replaceAll("\\{[^}]+}", "x"));
        if (waitsForVersion || projection.isPresent()) {
            ok.addHeaderObject(ReadYourWrites.STALE_HEADER, new Header()
                    .description("true when the answer may be older than what was written: "
                            + (waitsForVersion ? "the projection had not reached minVersion in time" : "")
                            + (waitsForVersion && projection.isPresent() ? ", or " : "")
                            + (projection.isPresent() ? "the projection is being rebuilt" : ""))
                    .schema(new StringSchema()._enum(List.of("true"))));
        }
        projection.ifPresent(name -> ok.addHeaderObject(RebuildNoticeFilter.REBUILDING_HEADER, new Header()
                .description("present while the projection answering this read is being rebuilt: the answer is "
                        + "its data from before the rebuild")
                .schema(new StringSchema()._enum(List.of(name)))));
    }

    /** Whether a read of this path is open to any signed-in caller (SecurityConfiguration.ANY_CALLER_READS). */
    private static boolean anyCallerMayRead(String path) {
        return SecurityConfiguration.ANY_CALLER_READS.stream().anyMatch(pattern -> pattern.endsWith("/**")
                ? path.startsWith(pattern.substring(0, pattern.length() - 3)) : path.equals(pattern));
    }

    /** A path or query parameter whose type is more than text. */
    private static boolean typed(Parameter parameter) {
        Schema<?> schema = parameter.getSchema();
        return !"header".equals(parameter.getIn()) && schema != null
                && (!"string".equals(schema.getType()) || schema.getFormat() != null);
    }

    /** The example request body of an operation: {@code openapi/examples/<operationId>.json} on the classpath. */
    private static Optional<Object> example(String operationId) {
        ClassPathResource resource = new ClassPathResource("openapi/examples/" + operationId + ".json");
        if (!resource.exists()) {
            return Optional.empty();
        }
        try (InputStream in = resource.getInputStream()) {
            return Optional.of(EXAMPLES.readValue(in, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable request example " + resource.getPath(), e);
        }
    }

    private static String areaOf(String path) {
        for (Area area : AREAS) {
            for (String prefix : area.prefixes()) {
                if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                    return area.name();
                }
            }
        }
        throw new IllegalStateException("no area of the API document for " + path + ": add it to ApiDocument");
    }

    private static Schema<?> problem() {
        return new ObjectSchema()
                .description("An RFC 9457 problem. type is a stable relative URI to switch on, such as "
                        + "/problems/price-changed.")
                .addProperty("type", new StringSchema().example("/problems/invalid-request"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema().format("int32"))
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/"
                        + FIELD_ERROR)).description("for an invalid request: one entry per refused field"))
                .addProperty("errorId", new StringSchema().description("for an internal error: the id to quote"))
                .required(List.of("type", "title", "status"));
    }

    private static Schema<?> fieldError() {
        return new ObjectSchema().description("One refused field of a request.")
                .addProperty("field", new StringSchema().description("the field's JSON path, such as "
                        + "lines[0].quantity"))
                .addProperty("message", new StringSchema())
                .required(List.of("field", "message"));
    }
}
