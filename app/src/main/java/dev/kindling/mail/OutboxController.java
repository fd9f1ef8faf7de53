package dev.kindling.mail;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/outbox}: the mail outbox, ADMIN and MARKETING only (security configuration). */
@RestController
@RequestMapping(path = "/api/v1/outbox", produces = "application/json")
class OutboxController {

    private final MailLog log;
    private final MailOutbox outbox;

    OutboxController(MailLog log, MailOutbox outbox) {
        this.log = log;
        this.outbox = outbox;
    }

    /** The newest mails, {@code ?status=LOCAL|PENDING|SENT|FAILED&limit=50&before=<id>}; says whether SMTP is on. */
    @GetMapping
    Map<String, Object> list(
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) Long before) {
        List<MailLog.MailSummary> items = log.list(status, limit, before);
        return Map.of("smtp", outbox.sends(), "items", items);
    }

    @GetMapping("/{id}")
    MailLog.MailView get(@PathVariable long id) {
        return log.get(id);
    }
}
