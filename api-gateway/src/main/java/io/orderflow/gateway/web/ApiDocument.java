package io.orderflow.gateway.web;

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
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the served OpenAPI document ({@code /v3/api-docs}) says beyond what springdoc reads from the controllers:
 * the areas of the API for people, the {@code 201} and {@code Location} of the two operations that create a
 * resource (and the {@code 202} of a replay), the problem+json answers every operation can give, the trace header on every answer, and a server URL
 * that does not depend on the port a run happens to use. The document is committed as {@code docs/openapi.json}
 * and {@code OpenApiIT} fails when the served one differs from it.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocument {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";

    /** The areas, in the order Swagger UI shows them, with the path prefix that puts an operation in each. */
    private static final List<Area> AREAS = List.of(
            new Area("Orders", "Place, read and cancel orders; a customer's orders, newest first.",
                    List.of("/api/orders", "/api/customers/{customerId}/orders")),
            new Area("Customers", "Register customers and change their shipping and billing addresses.",
                    List.of("/api/customers")),
            new Area("Catalogue", "The items and prices that orders are priced from.", List.of("/api/catalogue")),
            new Area("Inventory", "Stock per SKU: available, reserved and shipped.", List.of("/api/inventory")),
            new Area("Quotes", "What delivery to an address would cost.", List.of("/api/quotes")),
            new Area("Analytics", "Figures of the analytics context, read from Kafka.", List.of("/api/analytics")),
            new Area("Event contracts", "The JSON Schemas of the events other teams read from Kafka.",
                    List.of("/api/contracts")),
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
                            + "answer carries X-Trace-Id."));
            openApi.servers(List.of(new Server().url("/").description("this orderflow")));
            openApi.tags(AREAS.stream().map(area -> new Tag().name(area.name()).description(area.description()))
                    .toList());
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
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

    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        operation.setTags(List.of(areaOf(path)));
        ApiResponses responses = operation.getResponses();
        boolean creates = method == PathItem.HttpMethod.POST
                && (path.equals("/api/orders") || path.equals("/api/customers"));
        if (creates) {
            ApiResponse ok = responses.remove("200");
            ok.setDescription("Created; Location names the new resource");
            ok.addHeaderObject("Location", new Header().description("the new resource's path")
                    .schema(new StringSchema()));
            responses.addApiResponse("201", ok);
        }
        if (method == PathItem.HttpMethod.POST && path.equals("/api/admin/processors/{name}/replay")) {
            ApiResponse ok = responses.remove("200");
            ok.setDescription("Accepted; the replay runs in the background (its progress shows in the processor), "
                    + "Location names the processor");
            ok.addHeaderObject("Location", new Header().description("the processor's path")
                    .schema(new StringSchema()));
            responses.addApiResponse("202", ok);
        }
        responses.forEach((status, response) -> response.addHeaderObject("X-Trace-Id", new Header()
                .description("the trace of this request; sent by the client or made by the server")
                .schema(new StringSchema())));
        if (path.equals("/api/admin/payments") && responses.get("200") != null) {
            // The provider's ledger entries, passed on as the provider gives them: a list of objects.
            responses.get("200").setContent(new Content().addMediaType("application/json",
                    new MediaType().schema(new ArraySchema().items(new ObjectSchema()))));
        }
        boolean hasBody = operation.getRequestBody() != null;
        boolean hasParameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
        boolean command = method != PathItem.HttpMethod.GET;
        Map<String, String> errors = new LinkedHashMap<>();
        if (hasBody || hasParameters) {
            errors.put("400", "The request is not valid; errors[] names each refused field");
        }
        if (path.contains("{")) {
            errors.put("404", "No such resource");
        }
        if (command && !path.startsWith("/api/admin")) {
            errors.put("409", "The request conflicts with the resource's state (a changed price, a step no longer "
                    + "possible, a concurrent change)");
        }
        if (hasBody) {
            errors.put("413", "The request body is too large");
            errors.put("415", "The request body is not application/json");
        }
        if (command && !path.startsWith("/api/admin")) {
            errors.put("422", "The request is well formed but refers to what does not exist (an unknown SKU) or "
                    + "reuses an Idempotency-Key for another request");
            errors.put("503", "The outcome is not known yet; retry with the same Idempotency-Key");
        }
        if (path.equals("/api/quotes/delivery")) {
            errors.put("422", "No carrier serves the destination");
        }
        if (path.equals("/api/admin/payments")) {
            errors.put("502", "The payment provider did not answer");
        }
        if (path.startsWith("/api/admin/processors/") && path.endsWith("/replay")) {
            errors.put("409", "The processor may not be replayed, or a replay is already in progress");
        }
        errors.put("500", "An unexpected error; the answer names an error id to quote");
        errors.forEach((status, description) -> {
            if (!responses.containsKey(status)) {
                responses.addApiResponse(status, problemResponse(description));
            }
        });
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

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))))
                .addHeaderObject("X-Trace-Id", new Header().description("the trace of this request")
                        .schema(new StringSchema()));
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
