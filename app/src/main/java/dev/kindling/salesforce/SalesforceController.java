package dev.kindling.salesforce;

import dev.kindling.engine.crm.CrmErrors;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/salesforce/…} (docs/salesforce.md): the connection, the console's status, pause/resume, sync now and
 * the error queue with retry and dismiss. ADMIN only: the security configuration checks the caller's current role on
 * every request.
 */
@RestController
class SalesforceController {

    static final int PER_KIND = 100;

    private final SalesforceSetup setup;
    private final SalesforceConsole console;
    private final SalesforceConnector connector;
    private final ErrorQueue errors;

    SalesforceController(
            SalesforceSetup setup, SalesforceConsole console, SalesforceConnector connector, ErrorQueue errors) {
        this.setup = setup;
        this.console = console;
        this.connector = connector;
        this.errors = errors;
    }

    /** The connection to Salesforce (the secret is never shown; an empty one keeps the stored one). */
    record ConnectionRequest(
            String loginUrl,
            String apiVersion,
            String auth,
            String clientId,
            String clientSecret,
            String username,
            String privateKey,
            Long budgetPercent,
            Long cycleSeconds)
            implements ApiRequest {}

    /** Which open errors an action takes: those of one kind, or all when absent. */
    record ErrorsRequest(String kind) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (kind != null && !isKind(kind)) {
                errors.add(new FieldError("kind", "must be one of " + Arrays.toString(CrmErrors.Parked.values())));
            }
        }
    }

    /** What a retry did. */
    record RetryResult(int reread, int gone, long open) {}

    @GetMapping(path = "/api/v1/salesforce/status", produces = "application/json")
    SalesforceConsole.Status status() {
        return console.status();
    }

    @GetMapping(path = "/api/v1/salesforce/connection", produces = "application/json")
    SalesforceSetup.ConnectionView connection() {
        return setup.view().orElseThrow(() -> new NotFoundException("No Salesforce connection is configured"));
    }

    @PutMapping(path = "/api/v1/salesforce/connection", consumes = "application/json", produces = "application/json")
    SalesforceSetup.ConnectionView saveConnection(@RequestBody ConnectionRequest body) {
        return setup.save(body.given());
    }

    @PostMapping(path = "/api/v1/salesforce/pause", produces = "application/json")
    SalesforceConsole.Status pause() {
        setup.pause(true);
        return console.status();
    }

    @PostMapping(path = "/api/v1/salesforce/resume", produces = "application/json")
    SalesforceConsole.Status resume() {
        setup.pause(false);
        return console.status();
    }

    @PostMapping(path = "/api/v1/salesforce/sync", produces = "application/json")
    SalesforceConnector.Cycle sync() {
        return connector
                .syncNow()
                .orElseThrow(() -> new ConflictException("The Salesforce connector is not configured"));
    }

    /** The open errors grouped by kind (each with its oldest {@value #PER_KIND}), or one kind's. */
    @GetMapping(path = "/api/v1/salesforce/errors", produces = "application/json")
    Map<String, Object> errors(@RequestParam(required = false) String kind) {
        if (kind != null && !isKind(kind)) {
            throw InvalidInputException.of("kind", "must be one of " + Arrays.toString(CrmErrors.Parked.values()));
        }
        return kind == null ? Map.of("groups", errors.groups(PER_KIND)) : Map.of("items", errors.open(kind, PER_KIND));
    }

    /** Every open error as CSV ({@code Accept: text/csv}). */
    @GetMapping(path = "/api/v1/salesforce/errors", produces = "text/csv")
    void errorsCsv(HttpServletResponse response) throws IOException {
        csv(errors, response);
    }

    @PostMapping(path = "/api/v1/salesforce/errors/{id}/retry", produces = "application/json")
    RetryResult retry(@PathVariable long id) {
        errors.open(id);
        return retried(connector.retry(id, null));
    }

    @PostMapping(path = "/api/v1/salesforce/errors/{id}/dismiss", produces = "application/json")
    Map<String, Integer> dismiss(@PathVariable long id) {
        errors.open(id);
        return Map.of("dismissed", errors.dismiss(id, null));
    }

    @PostMapping(path = "/api/v1/salesforce/errors/retry", produces = "application/json")
    RetryResult retryAll(@RequestBody(required = false) ErrorsRequest body) {
        return retried(connector.retry(null, body == null ? null : body.kind()));
    }

    @PostMapping(path = "/api/v1/salesforce/errors/dismiss", produces = "application/json")
    Map<String, Integer> dismissAll(@RequestBody(required = false) ErrorsRequest body) {
        return Map.of("dismissed", errors.dismiss(null, body == null ? null : body.kind()));
    }

    private RetryResult retried(SalesforceConnector.Retried r) {
        return new RetryResult(r.reread(), r.gone(), errors.openCount());
    }

    static boolean isKind(String kind) {
        return Arrays.stream(CrmErrors.Parked.values()).anyMatch(k -> k.name().equals(kind));
    }

    /** The open errors as a CSV download (the record's text through the CSV writer's formula guard). */
    static void csv(ErrorQueue errors, HttpServletResponse response) throws IOException {
        Csv.stream(
                response,
                "salesforce-errors.csv",
                List.of(
                        "id",
                        "object",
                        "salesforce_id",
                        "kind",
                        "code",
                        "message",
                        "fields",
                        "attempts",
                        "first_at",
                        "last_at"),
                cursor -> {
                    List<ErrorQueue.Entry> page = errors.openAfter(cursor == null ? 0 : Long.parseLong(cursor), 500);
                    return new Csv.Page<>(
                            page,
                            page.size() < 500
                                    ? null
                                    : Long.toString(page.getLast().id()));
                },
                e -> new Object[] {
                    e.id(),
                    e.object(),
                    e.sfId(),
                    e.kind(),
                    e.code(),
                    e.message(),
                    String.join(" ", e.fields()),
                    e.attempts(),
                    e.firstAt(),
                    e.lastAt()
                });
    }
}
