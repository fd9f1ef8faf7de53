package dev.kindling.programs;

import dev.kindling.engine.program.ProgramTemplate;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/programs}: create (a definition, or {@code {"template": ..., "name", "recipientListIds",
 * "emails": {slot: templateId}}}), revise (PUT: a new version), start / pause / resume, versions, enrollments and
 * the report. Definitions are validated on save: 400 with every problem, graph problems under {@code steps.<id>}.
 */
@RestController
class ProgramController implements RequestValidators {

    private final Programs programs;
    private final Enrollments enrollments;
    private final ProgramReports reports;
    private final ProgramSweeper sweeper;

    ProgramController(Programs programs, Enrollments enrollments, ProgramReports reports, ProgramSweeper sweeper) {
        this.programs = programs;
        this.enrollments = enrollments;
        this.reports = reports;
        this.sweeper = sweeper;
    }

    @GetMapping(path = "/api/v1/programs", produces = "application/json")
    Map<String, Object> all() {
        return Map.of("items", programs.all());
    }

    @GetMapping(path = "/api/v1/programs/templates", produces = "application/json")
    Map<String, Object> templates() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (ProgramTemplate t : ProgramTemplate.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("template", t.name());
            m.put("title", t.title());
            m.put("description", t.description());
            m.put("emailSlots", t.create(0).emailPlaceholders());
            m.put("definition", ProgramJson.write(t.create(0)));
            items.add(m);
        }
        return Map.of("items", items);
    }

    @PostMapping(path = "/api/v1/programs", consumes = "application/json", produces = "application/json")
    ResponseEntity<Map<String, Object>> create(@RequestBody ProgramRequest body) {
        Programs.ProgramRow row;
        if (body.template() != null) {
            row = fromTemplate(body);
        } else {
            row = programs.create(body.givenTree());
        }
        return ResponseEntity.created(URI.create("/api/v1/programs/" + row.id()))
                .body(view(row));
    }

    private Programs.ProgramRow fromTemplate(ProgramRequest body) {
        ProgramTemplate template;
        try {
            template = ProgramTemplate.valueOf(body.template());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    List.of(new FieldError("template", "must be one of " + Arrays.toString(ProgramTemplate.values()))));
        }
        if (body.recipientListIds() != null && body.recipientListIds().contains(null)) {
            throw InvalidInputException.of("recipientListIds", "must be list ids");
        }
        return programs.createFromTemplate(template, body.name(), body.recipientListIds(), body.emails());
    }

    /**
     * A new program: a definition (published as JSON Schema, docs/schemas/program.schema.json), or a ready-made
     * {@code template} with a name, recipients and the email templates for its slots.
     */
    record ProgramRequest(
            @Schema(implementation = ProgramTemplate.class) String template,

            @Schema(description = "email slot to template id, for a template")
            Map<String, String> emails,

            String name,
            String start,

            @ArraySchema(schema = @Schema(ref = "#/components/schemas/ProgramStep"))
            JsonNode steps,

            List<Long> recipientListIds,
            List<Long> suppressionListIds,

            @Schema(allowableValues = {"NEVER", "AFTER_COMPLETION"})
            String reEntry,

            ProgramHoursRequest businessHours)
            implements ApiRequest {}

    /** A program's definition (published as JSON Schema, docs/schemas/program.schema.json). */
    record ProgramDefinitionRequest(
            String name,
            String start,

            @ArraySchema(schema = @Schema(ref = "#/components/schemas/ProgramStep"))
            JsonNode steps,

            List<Long> recipientListIds,
            List<Long> suppressionListIds,

            @Schema(allowableValues = {"NEVER", "AFTER_COMPLETION"})
            String reEntry,

            ProgramHoursRequest businessHours)
            implements ApiRequest {}

    /** When waits count and emails go out: these days, between opens and closes, in the zone. */
    record ProgramHoursRequest(
            List<String> days,
            @Schema(format = "time", example = "09:00") String opens,
            @Schema(format = "time", example = "17:00") String closes,
            @Schema(example = "Europe/Berlin") String zone)
            implements ApiRequest {}

    @GetMapping(path = "/api/v1/programs/{id}", produces = "application/json")
    Map<String, Object> get(@PathVariable long id) {
        return view(programs.get(id));
    }

    @PutMapping(path = "/api/v1/programs/{id}", consumes = "application/json", produces = "application/json")
    Map<String, Object> revise(@PathVariable long id, @RequestBody ProgramDefinitionRequest body) {
        programs.get(id);
        return view(programs.revise(id, body.givenTree()));
    }

    @GetMapping(path = "/api/v1/programs/{id}/versions", produces = "application/json")
    Map<String, Object> versions(@PathVariable long id) {
        return Map.of("items", programs.versions(id));
    }

    @GetMapping(path = "/api/v1/programs/{id}/versions/{version}", produces = "application/json")
    JsonNode version(@PathVariable long id, @PathVariable int version) {
        return ProgramJson.write(programs.definition(id, version));
    }

    @PostMapping(path = "/api/v1/programs/{id}/start", produces = "application/json")
    Map<String, Object> start(@PathVariable long id) {
        int enrolled = enrollments.start(id);
        sweeper.wake();
        Map<String, Object> view = view(programs.get(id));
        view.put("enrolled", enrolled);
        return view;
    }

    @PostMapping(path = "/api/v1/programs/{id}/pause", produces = "application/json")
    Map<String, Object> pause(@PathVariable long id) {
        enrollments.pause(id);
        return view(programs.get(id));
    }

    @PostMapping(path = "/api/v1/programs/{id}/resume", produces = "application/json")
    Map<String, Object> resume(@PathVariable long id) {
        enrollments.resume(id);
        sweeper.wake();
        return view(programs.get(id));
    }

    @GetMapping(path = "/api/v1/programs/{id}/enrollments", produces = "application/json")
    Map<String, Object> enrollments(
            @PathVariable long id,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "200") int limit) {
        return Map.of("items", enrollments.ofProgram(id, status, Math.max(1, Math.min(limit, 1000))));
    }

    @GetMapping(path = "/api/v1/programs/{id}/report", produces = "application/json")
    ProgramReports.Report report(@PathVariable long id) {
        return reports.report(id);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/programs", produces = "application/json")
    Map<String, Object> ofProspect(@PathVariable long id) {
        return Map.of("items", enrollments.ofProspect(id));
    }

    private Map<String, Object> view(Programs.ProgramRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", row.id());
        m.put("name", row.name());
        m.put("status", row.status());
        m.put("version", row.currentVersion());
        m.put("template", row.template());
        m.put("createdAt", row.createdAt());
        m.put("startedAt", row.startedAt());
        m.put("definition", ProgramJson.write(programs.definition(row.id(), row.currentVersion())));
        return m;
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(
                RequestValidators.rule(
                        ProgramDefinitionRequest.class,
                        (r, errors) -> ApiRequest.collect(errors, () -> programs.parse(r.givenTree(), 0, 1))),
                RequestValidators.rule(ProgramRequest.class, (r, errors) -> {
                    if (r.template() == null) {
                        ApiRequest.collect(errors, () -> programs.parse(r.givenTree(), 0, 1));
                    }
                }));
    }
}
