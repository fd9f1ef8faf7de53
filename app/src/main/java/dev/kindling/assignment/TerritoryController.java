package dev.kindling.assignment;

import dev.kindling.platform.web.ApiRequest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Territories, in matching order: everyone signed in reads, ADMIN writes (security configuration). */
@RestController
@RequestMapping(path = "/api/v1/territories", produces = "application/json")
class TerritoryController {

    private final Territories territories;

    TerritoryController(Territories territories) {
        this.territories = territories;
    }

    @GetMapping
    List<TerritoryView> list() {
        return territories.list();
    }

    @GetMapping("/{id}")
    TerritoryView get(@PathVariable long id) {
        return territories.get(id);
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<TerritoryView> create(@RequestBody TerritoryRequest body) {
        TerritoryView t = territories.create(body.given());
        return ResponseEntity.created(URI.create("/api/v1/territories/" + t.id()))
                .body(t);
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    TerritoryView update(@PathVariable long id, @RequestBody TerritoryRequest body) {
        return territories.update(id, body.given());
    }

    /**
     * A territory: what it matches (countries, industries, an employee range; empty matches all) and who gets the
     * prospects it matches (a team or a user). A patch changes the fields given; {@code null} clears.
     */
    record TerritoryRequest(
            String name,
            Optional<Long> position,
            Optional<List<String>> countries,
            Optional<List<String>> industries,
            Optional<Long> minEmployees,
            Optional<Long> maxEmployees,
            Optional<Long> teamId,
            Optional<Long> userId)
            implements ApiRequest {}

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        territories.delete(id);
        return ResponseEntity.noContent().build();
    }
}
