package dev.kindling.mail;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Outbox page ({@code /outbox}, ADMIN and MARKETING): every mail with its status, attempts and last error; one
 * mail shows its headers, its text as text and its HTML source as text. The rendered HTML is only ever shown inside a
 * sandboxed iframe whose own response forbids scripts, forms and every remote or same-site load
 * ({@code /outbox/{id}/html}), so a mail built from prospect data cannot act inside the app page.
 */
@Controller
class OutboxPages {

    static final String PREVIEW_POLICY =
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; " + "frame-ancestors 'self'";

    private final MailLog log;
    private final MailOutbox outbox;

    OutboxPages(MailLog log, MailOutbox outbox) {
        this.log = log;
        this.outbox = outbox;
    }

    @GetMapping("/outbox")
    String list(
            @RequestParam(required = false) String status, @RequestParam(required = false) Long before, Model model) {
        String s = status == null || status.isBlank() || !MailLog.STATUSES.contains(status) ? null : status;
        var items = log.list(s, 51, before);
        model.addAttribute("mails", items.size() > 50 ? items.subList(0, 50) : items);
        model.addAttribute("next", items.size() > 50 ? items.get(49).id() : null);
        model.addAttribute("status", s);
        model.addAttribute("statuses", MailLog.STATUSES);
        model.addAttribute("smtp", outbox.sends());
        return "mail/outbox";
    }

    @GetMapping("/outbox/{id}")
    String mail(@PathVariable long id, Model model, HttpServletResponse response) {
        try {
            model.addAttribute("mail", log.get(id));
        } catch (dev.kindling.platform.web.NotFoundException e) {
            response.setStatus(404);
            return "not-found";
        }
        return "mail/mail";
    }

    /** The mail's HTML for the sandboxed preview frame only: no script, no load from anywhere. */
    @GetMapping("/outbox/{id}/html")
    ResponseEntity<byte[]> html(@PathVariable long id) {
        MailLog.MailView mail = log.get(id);
        String html = mail.html() == null ? "" : mail.html();
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Content-Security-Policy", PREVIEW_POLICY)
                .header("X-Frame-Options", "SAMEORIGIN")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .body(html.getBytes(StandardCharsets.UTF_8));
    }
}
