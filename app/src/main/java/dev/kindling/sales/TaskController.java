package dev.kindling.sales;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sales tasks: {@code GET /api/v1/prospects/{id}/tasks} (any role), {@code POST /api/v1/prospects/{id}/tasks}
 * {@code {"subject", "dueAt" | "dueInHours", "ownerId"}} → 201, and {@code POST /api/v1/tasks/{id}/complete}; both
 * posts for ADMIN, INSIDE_SALES and SALES (403 otherwise).
 */
@RestController
class TaskController implements RequestValidators {

    private final JdbcClient jdbc;
    private final Tasks tasks;

    TaskController(JdbcClient jdbc, Tasks tasks) {
        this.jdbc = jdbc;
        this.tasks = tasks;
    }

    @GetMapping(path = "/api/v1/prospects/{id}/tasks", produces = "application/json")
    List<Tasks.Task> list(@PathVariable long id) {
        if (jdbc.sql("SELECT count(*) FROM prospect WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                == 0) {
            throw new NotFoundException("No prospect " + id);
        }
        return tasks.ofProspect(id);
    }

    @PostMapping(path = "/api/v1/prospects/{id}/tasks", consumes = "application/json", produces = "application/json")
    ResponseEntity<Tasks.Task> add(@PathVariable long id, @RequestBody SalesTaskRequest body, Authentication who) {
        Rep rep = Rep.seller(who, jdbc);
        return ResponseEntity.status(201).body(tasks.add(id, tasks.request(body.given()), rep));
    }

    /** A task: a subject, due at an instant or in some hours (24 by default), owned by a user (the caller by default). */
    record SalesTaskRequest(
            @NotBlank(message = SUBJECT) @Size(max = Tasks.MAX_SUBJECT, message = SUBJECT)
            String subject,

            @Schema(format = "date-time") String dueAt,

            @Min(value = 1, message = HOURS) @Max(value = Tasks.MAX_HOURS, message = HOURS)
            Long dueInHours,

            Long ownerId)
            implements ApiRequest {
        static final String SUBJECT = "is required, at most " + Tasks.MAX_SUBJECT + " characters";
        static final String HOURS = "must be a whole number of hours from 1 to " + Tasks.MAX_HOURS;
    }

    @PostMapping(path = "/api/v1/tasks/{id}/complete", produces = "application/json")
    Tasks.Task complete(@PathVariable long id, Authentication who) {
        return tasks.complete(id, Rep.seller(who, jdbc));
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                SalesTaskRequest.class, (r, errors) -> ApiRequest.collect(errors, () -> tasks.request(r.given()))));
    }
}
