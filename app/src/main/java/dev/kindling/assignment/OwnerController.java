package dev.kindling.assignment;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/prospects/{id}/owner {"userId": 7}} force-assigns (ADMIN, or the INSIDE_SALES manager of the
 * new owner's team); {@code GET /api/v1/prospects/{id}/assignments} is the history, newest first.
 */
@RestController
@RequestMapping(path = "/api/v1/prospects/{id}", produces = "application/json")
class OwnerController {

    private final Owners owners;
    private final JdbcClient jdbc;

    OwnerController(Owners owners, JdbcClient jdbc) {
        this.owners = owners;
        this.jdbc = jdbc;
    }

    @PostMapping(path = "/owner", consumes = "application/json")
    Map<String, Object> assign(@PathVariable long id, @RequestBody OwnerRequest body, Authentication user) {
        Assignment done = owners.force(id, body.given(), user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prospectId", id);
        out.put(
                "ownerId",
                jdbc.sql("SELECT owner_id FROM prospect WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single());
        out.put("changed", done != null);
        out.put("assignment", done);
        return out;
    }

    /** The user to make the prospect's owner. */
    record OwnerRequest(Long userId) implements ApiRequest {}

    @GetMapping("/assignments")
    List<Owners.HistoryEntry> history(@PathVariable long id) {
        if (jdbc.sql("SELECT count(*) FROM prospect WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                == 0) {
            throw new NotFoundException("No prospect " + id);
        }
        return owners.history(id);
    }
}
