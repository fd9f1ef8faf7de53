package dev.kindling.lists;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import dev.kindling.prospects.Prospects;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The list API ({@code docs/lists.md}): definitions, members, history, and a prospect's lists. */
@RestController
class ListController implements RequestValidators {

    private final Lists lists;
    private final Prospects prospects;
    private final ListInput input;

    ListController(Lists lists, Prospects prospects, ListInput input) {
        this.lists = lists;
        this.prospects = prospects;
        this.input = input;
    }

    @GetMapping(path = "/api/v1/lists", produces = "application/json")
    Map<String, List<ListView>> all() {
        return Map.of("items", lists.all());
    }

    @PostMapping(path = "/api/v1/lists", consumes = "application/json", produces = "application/json")
    ResponseEntity<ListView> create(@RequestBody ListRequest body) {
        ListView created = lists.create(input.definition(body.givenTree()));
        return ResponseEntity.created(URI.create("/api/v1/lists/" + created.id()))
                .body(created);
    }

    @GetMapping(path = "/api/v1/lists/{id}", produces = "application/json")
    ListView get(@PathVariable long id) {
        return lists.get(id);
    }

    @PutMapping(path = "/api/v1/lists/{id}", consumes = "application/json", produces = "application/json")
    ListView replace(@PathVariable long id, @RequestBody ListRequest body) {
        lists.get(id);
        return lists.replace(id, input.definition(body.givenTree()));
    }

    @DeleteMapping("/api/v1/lists/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        lists.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/api/v1/lists/{id}/members", produces = "application/json")
    Lists.Page<Lists.Member> members(
            @PathVariable long id,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        return lists.members(id, limit(limit), cursor);
    }

    /** Every member of the list as one CSV download ({@code Accept: text/csv} or {@code format=csv}), all pages. */
    @GetMapping(path = "/api/v1/lists/{id}/members", produces = "text/csv")
    void membersCsv(@PathVariable long id, HttpServletResponse response) throws IOException {
        lists.get(id);
        Csv.stream(
                response,
                "list-" + id + "-members.csv",
                List.of("prospect_id", "email", "first_name", "last_name", "member_since"),
                cursor -> {
                    Lists.Page<Lists.Member> page = lists.members(id, 500, cursor);
                    return new Csv.Page<>(page.items(), page.nextCursor());
                },
                m -> new Object[] {m.prospectId(), m.email(), m.firstName(), m.lastName(), m.since()});
    }

    @PostMapping(path = "/api/v1/lists/{id}/members", consumes = "application/json", produces = "application/json")
    Map<String, Integer> add(@PathVariable long id, @RequestBody ListMembersRequest body) {
        return Map.of("added", lists.add(id, body.prospectIds(), "manual"));
    }

    @DeleteMapping(path = "/api/v1/lists/{id}/members", consumes = "application/json", produces = "application/json")
    Map<String, Integer> remove(@PathVariable long id, @RequestBody ListMembersRequest body) {
        return Map.of("removed", lists.remove(id, body.prospectIds(), "manual"));
    }

    @GetMapping(path = "/api/v1/lists/{id}/history", produces = "application/json")
    Lists.Page<MembershipEvent> history(
            @PathVariable long id,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        return lists.history(id, limit(limit), cursor);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/lists", produces = "application/json")
    Map<String, List<Lists.Membership>> ofProspect(@PathVariable long id) {
        prospects.get(id);
        return Map.of("items", lists.ofProspect(id));
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > 500) {
            throw InvalidInputException.of("limit", "must be between 1 and 500");
        }
        return limit;
    }

    /** A list's definition; the fields a read answers besides these are accepted and ignored, so a read can be put back. */
    @JsonIgnoreProperties({"id", "members", "createdAt", "updatedAt", "rebuild"})
    record ListRequest(
            String name,
            @Schema(allowableValues = {"STATIC", "DYNAMIC"}) String kind,
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition)
            implements ApiRequest {}

    /** Prospects to add to or remove from a static list. */
    record ListMembersRequest(List<Long> prospectIds) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (prospectIds == null || prospectIds.isEmpty()) {
                errors.add(new FieldError("prospectIds", "must be a non-empty array of prospect ids"));
            } else if (prospectIds.size() > Lists.MAX_MEMBERS_PER_CALL) {
                errors.add(new FieldError("prospectIds", "must have at most " + Lists.MAX_MEMBERS_PER_CALL + " ids"));
            } else {
                for (int i = 0; i < prospectIds.size() && errors.size() < 100; i++) {
                    if (prospectIds.get(i) == null || prospectIds.get(i) <= 0) {
                        errors.add(new FieldError("prospectIds[" + i + "]", "must be a prospect id"));
                    }
                }
            }
        }
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                ListRequest.class, (r, errors) -> ApiRequest.collect(errors, () -> input.definition(r.givenTree()))));
    }
}
