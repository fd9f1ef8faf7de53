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
        JsonNode doc = new TestApi(port).get("/v3/api-docs").json();
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
                    if (!schema.path("properties").isObject() || schema.path("properties").isEmpty()) {
                        untyped.add(operation + " (" + media.getKey() + ")");
                    }
                }
            }
        }
        assertThat(bodies).as("operations reading a body").hasSizeGreaterThan(50);
        assertThat(untyped).as("operations whose body schema is a free-form object").isEmpty();
    }

    @Test
    void conditionsActionsAndProgramDefinitionsReferToTheirPublishedJsonSchemas() {
        JsonNode doc = new TestApi(port).get("/v3/api-docs").json();
        JsonNode rule = resolve(doc, doc.at("/paths/~1api~1v1~1automation-rules/post/requestBody/content")
                .properties().iterator().next().getValue().path("schema"));
        assertThat(rule.at("/properties/condition/$ref").asString()).isEqualTo("#/components/schemas/Condition");
        assertThat(rule.at("/properties/actions/items/$ref").asString()).isEqualTo("#/components/schemas/Action");
        for (String name : List.of("Condition", "Action", "ProgramDefinition")) {
            JsonNode schema = doc.at("/components/schemas/" + name);
            assertThat(schema.path("externalDocs").path("url").asString()).as(name)
                    .endsWith(".schema.json");
        }
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }
}
