package dev.kindling.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.media.ObjectSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON formats the codecs read (conditions, actions, program definitions), published as JSON Schema (draft
 * 2020-12, kept in {@code docs/schemas/}) at {@code /v3/api-docs/schemas/<name>.schema.json}, beside the OpenAPI
 * document; the OpenAPI document's {@code Condition}, {@code Action}, {@code ProgramStep} and
 * {@code ProgramDefinition} components refer to them, and request records point their fields at those components.
 */
@RestController
class JsonSchemas {

    static final String PATH = "/v3/api-docs/schemas/";
    private static final Pattern NAME = Pattern.compile("[a-z]+\\.schema\\.json");
    private static final Map<String, String[]> COMPONENTS = Map.of(
            "Condition", new String[] {"condition.schema.json", "A condition (docs/conditions.md)"},
            "Action",
                    new String[] {
                        "action.schema.json",
                        "An action of a rule, a completion action or a program step (docs/automation.md)"
                    },
            "ProgramStep", new String[] {"program.schema.json#/$defs/step", "A step of a program (docs/programs.md)"},
            "ProgramDefinition", new String[] {"program.schema.json", "A program's definition (docs/programs.md)"});

    @GetMapping(path = PATH + "{name}", produces = "application/schema+json")
    ResponseEntity<byte[]> schema(@PathVariable String name) throws IOException {
        ClassPathResource file = new ClassPathResource("schemas/" + name);
        if (!NAME.matcher(name).matches() || !file.exists()) {
            throw new NotFoundException("No JSON Schema " + name);
        }
        try (InputStream in = file.getInputStream()) {
            return ResponseEntity.ok(in.readAllBytes());
        }
    }

    /** The components request records refer to, each pointing at its JSON Schema. */
    @Bean
    OpenApiCustomizer jsonSchemaComponents() {
        return api -> {
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            COMPONENTS.forEach((name, schema) -> api.getComponents()
                    .addSchemas(
                            name,
                            new ObjectSchema()
                                    .description(
                                            schema[1] + "; validated by the codec, its JSON Schema (draft 2020-12) at "
                                                    + PATH + schema[0])
                                    .externalDocs(new ExternalDocumentation()
                                            .description("JSON Schema")
                                            .url(PATH + schema[0]))));
        };
    }
}
