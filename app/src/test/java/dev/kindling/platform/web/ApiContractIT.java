package dev.kindling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document the running app serves describes every API request body with a real schema. */
@IntegrationTest
class ApiContractIT {

    @LocalServerPort
    int port;

    @Test
    void everyApiOperationThatReadsABodyPublishesARequestSchemaWithProperties() {
        JsonNode doc = document();
        List<String> bodies = new ArrayList<>();
        List<String> untyped = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            if (!path.getKey().startsWith("/api/v1/")) {
                continue;
            }
            for (String method : List.of("post", "put", "patch")) {
                JsonNode body = path.getValue().path(method).path("requestBody");
                if (body.isMissingNode()) {
                    continue;
                }
                String operation = method.toUpperCase() + " " + path.getKey();
                bodies.add(operation);
                for (Map.Entry<String, JsonNode> media : body.path("content").properties()) {
                    JsonNode schema = resolve(doc, media.getValue().path("schema"));
                    if (!schema.path("properties").isObject()
                            || schema.path("properties").isEmpty()) {
                        untyped.add(operation + " (" + media.getKey() + ")");
                    }
                }
            }
        }
        assertThat(bodies).as("operations reading a body").hasSizeGreaterThan(50);
        assertThat(untyped)
                .as("operations whose body schema is a free-form object")
                .isEmpty();
    }

    @Test
    void conditionsActionsAndProgramDefinitionsReferToTheirPublishedJsonSchemas() {
        JsonNode doc = document();
        JsonNode rule = resolve(
                doc,
                doc.at("/paths/~1api~1v1~1automation-rules/post/requestBody/content")
                        .properties()
                        .iterator()
                        .next()
                        .getValue()
                        .path("schema"));
        assertThat(rule.at("/properties/condition/$ref").asString()).isEqualTo("#/components/schemas/Condition");
        assertThat(rule.at("/properties/actions/items/$ref").asString()).isEqualTo("#/components/schemas/Action");
        for (String name : List.of("Condition", "Action", "ProgramDefinition")) {
            JsonNode schema = doc.at("/components/schemas/" + name);
            assertThat(schema.path("externalDocs").path("url").asString())
                    .as(name)
                    .endsWith(".schema.json");
        }
    }

    /** The served document; its first build may outlast one request on a busy machine, so it is asked for again. */
    private JsonNode document() {
        java.io.UncheckedIOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return new TestApi(port).get("/v3/api-docs").json();
            } catch (java.io.UncheckedIOException e) {
                last = e;
            }
        }
        throw last;
    }

    @Test
    void theJsonSchemasAreServedBesideTheDocument() {
        var schema = new TestApi(port).get("/v3/api-docs/schemas/condition.schema.json");
        assertThat(schema.status()).isEqualTo(200);
        assertThat(schema.json().get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(new TestApi(port)
                        .get("/v3/api-docs/schemas/nothing.schema.json")
                        .status())
                .isEqualTo(404);
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }
}
