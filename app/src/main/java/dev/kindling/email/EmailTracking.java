package dev.kindling.email;

import dev.kindling.engine.identity.BotSignature;
import dev.kindling.platform.web.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;

/**
 * The public endpoints in every marketing email, under {@code /e/} (no sign-in, no CSRF token: mail clients call
 * them). {@code /e/o/{token}} is the open pixel, {@code /e/c/{token}} a tracked link (302 to the target stored with
 * the message), {@code /e/u/{token}} the unsubscribe page (GET) and RFC 8058 one-click unsubscribe (POST). A token
 * that does not verify is 404, never a redirect. HEAD requests (link scanners) are answered and never counted.
 */
@RestController
class EmailTracking {

    private static final byte[] PIXEL =
            Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final EmailTokens tokens;
    private final EmailEvents events;

    EmailTracking(EmailTokens tokens, EmailEvents events) {
        this.tokens = tokens;
        this.events = events;
    }

    @GetMapping("/e/o/{token}")
    ResponseEntity<byte[]> open(
            @PathVariable String token,
            @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent,
            HttpServletRequest request) {
        EmailEvents.Message m = tokens.verify(token, 'o')
                .flatMap(c -> events.message(c.messageId()))
                .orElseThrow(() -> new NotFoundException("No such email"));
        if ("GET".equals(request.getMethod())) {
            events.opened(m, userAgent, BotSignature.isBot(userAgent));
        }
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_GIF)
                .cacheControl(CacheControl.noStore())
                .body(PIXEL);
    }

    @GetMapping("/e/c/{token}")
    ResponseEntity<Void> click(
            @PathVariable String token,
            @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent,
            HttpServletRequest request) {
        EmailTokens.Claims claims = tokens.verify(token, 'c').orElseThrow(() -> new NotFoundException("No such link"));
        EmailEvents.Message m = events.message(claims.messageId())
                .filter(x -> claims.link() < x.links().size())
                .orElseThrow(() -> new NotFoundException("No such link"));
        if ("GET".equals(request.getMethod())) {
            events.clicked(m, claims.link(), userAgent, BotSignature.isBot(userAgent));
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(m.links().get(claims.link())))
                .cacheControl(CacheControl.noStore())
                .build();
    }

    /** The landing page of the unsubscribe link: opening it opts out (HEAD from scanners does not). */
    @GetMapping("/e/u/{token}")
    ModelAndView unsubscribePage(@PathVariable String token, HttpServletRequest request) {
        EmailEvents.Message m = tokens.verify(token, 'u')
                .flatMap(c -> events.message(c.messageId()))
                .orElseThrow(() -> new NotFoundException("No such email"));
        if ("GET".equals(request.getMethod())) {
            events.unsubscribed(m, "link");
        }
        return new ModelAndView("email/unsubscribed");
    }

    /**
     * RFC 8058 one-click: the mailbox provider POSTs {@code List-Unsubscribe=One-Click} to the List-Unsubscribe URL.
     * Any POST to a valid token opts out (the body is what the RFC says is sent, but its absence changes nothing).
     */
    @PostMapping("/e/u/{token}")
    ResponseEntity<String> unsubscribeOneClick(@PathVariable String token) {
        EmailEvents.Message m = tokens.verify(token, 'u')
                .flatMap(c -> events.message(c.messageId()))
                .orElseThrow(() -> new NotFoundException("No such email"));
        events.unsubscribed(m, "one-click");
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_PLAIN)
                .cacheControl(CacheControl.noStore())
                .body("You are unsubscribed.\n");
    }
}
