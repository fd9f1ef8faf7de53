package dev.kindling.prospects;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping(path = "/api/v1/prospects", produces = "application/json")
class ProspectController implements RequestValidators {

    private static final java.util.Set<String> STAGES = java.util.Arrays.stream(
                    dev.kindling.engine.lifecycle.LifecycleStage.values())
            .map(Enum::name)
            .collect(java.util.stream.Collectors.toSet());

    private static final java.util.List<String> QUADRANTS = java.util.List.of("HOT", "NURTURE", "SCREEN", "DISCARD");

    private final Prospects prospects;

    ProspectController(Prospects prospects) {
        this.prospects = prospects;
    }

    /** Creates the prospect (201) or updates the one with this email (200). */
    @PostMapping(consumes = "application/json")
    ResponseEntity<ProspectView> upsert(@RequestBody ProspectRequest body) {
        Map<String, Object> raw = body.given();
        if (!raw.containsKey("email")) {
            throw InvalidInputException.of("email", "is required");
        }
        ProspectChanges changes = validated(raw);
        Prospects.Upserted result = prospects.upsert(changes, "api");
        ProspectView view = prospects.get(result.id());
        return result.created()
                ? ResponseEntity.created(URI.create("/api/v1/prospects/" + view.id()))
                        .body(view)
                : ResponseEntity.ok(view);
    }

    @GetMapping("/{id}")
    ProspectView get(@PathVariable long id) {
        return prospects.get(id);
    }

    @GetMapping
    Prospects.Page list(
            @RequestParam(required = false) String email,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String quadrant,
            @RequestParam(required = false) String listId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > 500) {
            throw InvalidInputException.of("limit", "must be between 1 and 500");
        }
        return prospects.list(filter(email, stage, q, quadrant, listId), limit, cursor);
    }

    /**
     * Every prospect the same filters select, as one CSV download ({@code Accept: text/csv} or {@code format=csv}):
     * all pages, newest first, one column per custom field after the standard ones.
     */
    @GetMapping(produces = "text/csv")
    void csv(
            @RequestParam(required = false) String email,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String quadrant,
            @RequestParam(required = false) String listId,
            HttpServletResponse response)
            throws IOException {
        Prospects.Filter filter = filter(email, stage, q, quadrant, listId);
        List<String> custom = List.copyOf(prospects.customFields().keySet());
        List<String> header = new ArrayList<>(CSV_COLUMNS);
        custom.forEach(name -> header.add("custom." + name));
        Csv.stream(
                response,
                "prospects.csv",
                header,
                cursor -> {
                    Prospects.Page page = prospects.list(filter, CSV_PAGE, cursor);
                    return new Csv.Page<>(page.items(), page.nextCursor());
                },
                p -> {
                    List<Object> row = new ArrayList<>(Arrays.asList(
                            p.id(),
                            p.email(),
                            p.firstName(),
                            p.lastName(),
                            p.company(),
                            p.jobTitle(),
                            p.department(),
                            p.industry(),
                            p.employees(),
                            p.country(),
                            p.phone(),
                            p.website(),
                            p.source(),
                            p.accountId(),
                            p.campaignId(),
                            p.ownerId(),
                            p.score(),
                            p.grade(),
                            p.stage(),
                            p.quadrant(),
                            p.optedOut(),
                            p.hardBounced(),
                            p.doNotEmail(),
                            p.lastActivityAt(),
                            p.capturedAt(),
                            p.createdAt(),
                            p.updatedAt()));
                    custom.forEach(name ->
                            row.add(p.custom() == null ? null : p.custom().get(name)));
                    return row.toArray();
                });
    }

    private static final List<String> CSV_COLUMNS = List.of(
            "id",
            "email",
            "first_name",
            "last_name",
            "company",
            "job_title",
            "department",
            "industry",
            "employees",
            "country",
            "phone",
            "website",
            "source",
            "account_id",
            "campaign_id",
            "owner_id",
            "score",
            "grade",
            "stage",
            "quadrant",
            "opted_out",
            "hard_bounced",
            "do_not_email",
            "last_activity_at",
            "captured_at",
            "created_at",
            "updated_at");

    /** Rows per query while streaming a CSV. */
    static final int CSV_PAGE = 500;

    private Prospects.Filter filter(String email, String stage, String q, String quadrant, String listId) {
        if (stage != null && !stage.isBlank() && !STAGES.contains(stage)) {
            throw InvalidInputException.of("stage", "must be one of " + new java.util.TreeSet<>(STAGES));
        }
        if (q != null && q.length() > 200) {
            throw InvalidInputException.of("q", "must be at most 200 characters");
        }
        if (quadrant != null && !quadrant.isBlank() && !QUADRANTS.contains(quadrant)) {
            throw InvalidInputException.of("quadrant", "must be one of " + QUADRANTS);
        }
        Long list = null;
        if (listId != null && !listId.isBlank()) {
            try {
                list = Long.parseLong(listId.strip());
            } catch (NumberFormatException e) {
                throw InvalidInputException.of("listId", "must be a list id");
            }
        }
        return new Prospects.Filter(email, stage, q, quadrant, list);
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    ProspectView patch(@PathVariable long id, @RequestBody ProspectRequest body) {
        prospects.get(id);
        ProspectChanges changes = validated(body.given());
        if (changes.email() != null) {
            prospects
                    .findByEmail(changes.email())
                    .filter(other -> other.id() != id)
                    .ifPresent(other -> {
                        throw new dev.kindling.platform.web.ConflictException(
                                "Another prospect (" + other.id() + ") has this email; merge them instead");
                    });
        }
        return prospects.edit(id, changes);
    }

    /** A prospect's fields; a patch changes those given ({@code null} clears one). */
    record ProspectRequest(
            Optional<String> email,
            Optional<String> firstName,
            Optional<String> lastName,
            Optional<String> company,
            Optional<String> jobTitle,
            Optional<String> department,
            Optional<String> industry,
            Optional<Long> employees,

            @Schema(description = "ISO 3166-1 alpha-2", example = "DE")
            Optional<String> country,

            Optional<String> phone,
            Optional<String> website,
            Optional<String> source,

            @Schema(type = "object", description = "custom field values by field name")
            JsonNode custom)
            implements ApiRequest {}

    private ProspectChanges validated(Map<String, Object> raw) {
        ProspectValidator.Result result = ProspectValidator.validate(raw, prospects.customFields(), false, "");
        if (!result.valid()) {
            throw new InvalidInputException(result.errors());
        }
        return result.changes();
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                ProspectRequest.class, (r, errors) -> ApiRequest.collect(errors, () -> validated(r.given()))));
    }
}
