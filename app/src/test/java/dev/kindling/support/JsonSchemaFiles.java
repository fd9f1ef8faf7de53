package dev.kindling.support;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;

/** The published JSON Schemas (docs/schemas, on the classpath as schemas/), validated with a maintained library. */
public final class JsonSchemaFiles {

    private static final String BASE = "https://kindling.dev/schemas/";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(files("condition.schema.json", "action.schema.json", "program.schema.json")));

    private JsonSchemaFiles() {}

    /** What the named schema ({@code condition}, {@code action}, {@code program}) finds wrong with the JSON. */
    public static List<Error> problems(String name, JsonNode json) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + name + ".schema.json"));
        return schema.validate(json);
    }

    private static Map<String, String> files(String... names) {
        Map<String, String> out = new HashMap<>();
        for (String name : names) {
            try {
                out.put(
                        BASE + name,
                        new ClassPathResource("schemas/" + name).getContentAsString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
