package dev.kindling.people;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.RequestValidators;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Teams: everyone signed in reads, ADMIN writes (enforced in the security configuration). */
@RestController
@RequestMapping(path = "/api/v1/teams", produces = "application/json")
class TeamController implements RequestValidators {

    private final Teams teams;

    TeamController(Teams teams) {
        this.teams = teams;
    }

    @GetMapping
    List<TeamView> list() {
        return teams.list();
    }

    @GetMapping("/{id}")
    TeamView get(@PathVariable long id) {
        return teams.get(id);
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<TeamView> create(@RequestBody TeamRequest body) {
        TeamView team = teams.create(body.given());
        return ResponseEntity.created(URI.create("/api/v1/teams/" + team.id())).body(team);
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    TeamView update(@PathVariable long id, @RequestBody TeamRequest body) {
        return teams.update(id, body.given());
    }

    /** A team's fields; on a patch only those given change ({@code managerId: null} removes the manager). */
    record TeamRequest(String name, Optional<Long> managerId) implements ApiRequest {}

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        teams.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                TeamRequest.class, (r, errors) -> ApiRequest.collect(errors, () -> teams.validated(r.given(), false))));
    }
}
