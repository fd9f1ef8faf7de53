package dev.kindling.capture.links;

import dev.kindling.capture.VisitorId;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.identity.BotSignature;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public side of tracked links: a valid token records the click (as the prospect the token
 * names, else as the visitor of the {@value VisitorId#COOKIE} cookie, else not at all) and
 * redirects to the target stored server-side. Anything else is 404, never a redirect.
 */
@RestController
class LinkRedirect {

    private final TrackedLinks links;
    private final Prospects prospects;
    private final ActivityIntake intake;
    private final Clock clock;

    private final dev.kindling.automation.CompletionActions completionActions;

    LinkRedirect(
            TrackedLinks links,
            Prospects prospects,
            ActivityIntake intake,
            Clock clock,
            dev.kindling.automation.CompletionActions completionActions) {
        this.completionActions = completionActions;
        this.links = links;
        this.prospects = prospects;
        this.intake = intake;
        this.clock = clock;
    }

    @GetMapping("/l/{token}")
    @org.springframework.transaction.annotation.Transactional
    ResponseEntity<Void> follow(
            @PathVariable String token,
            @CookieValue(name = VisitorId.COOKIE, required = false) String visitorCookie,
            @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent,
            HttpServletRequest request) {
        LinkTokens.Claims claims =
                links.tokens().verify(token).orElseThrow(() -> new NotFoundException("No such link"));
        TrackedLink link = links.find(claims.linkId()).orElseThrow(() -> new NotFoundException("No such link"));
        Long prospectId = claims.prospectId() != null
                        && prospects.find(claims.prospectId()).isPresent()
                ? claims.prospectId()
                : null;
        VisitorId visitor = prospectId == null ? VisitorId.parse(visitorCookie) : null;
        // HEAD requests (link checkers, mail scanners) are answered but never counted as clicks
        if ((prospectId != null || visitor != null) && "GET".equals(request.getMethod())) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("linkId", Long.toString(link.id()));
            properties.put(link.kind() == TrackedLink.Kind.FILE ? "assetName" : "linkName", link.name());
            properties.put("linkUrl", link.targetUrl());
            if (userAgent != null && !userAgent.isBlank()) {
                properties.put("userAgent", userAgent.substring(0, Math.min(userAgent.length(), 1000)));
            }
            ActivityType type =
                    link.kind() == TrackedLink.Kind.FILE ? ActivityType.FILE_DOWNLOAD : ActivityType.TRACKED_LINK_CLICK;
            intake.accept(List.of(new NewActivity(
                    "click-" + UUID.randomUUID(),
                    prospectId,
                    null,
                    visitor == null ? null : visitor.value(),
                    type,
                    null,
                    clock.instant(),
                    link.campaignId(),
                    properties,
                    BotSignature.isBot(userAgent))));
            // completion actions run on every click of a known prospect (not for bots), in the click's transaction
            if (prospectId != null && !BotSignature.isBot(userAgent)) {
                completionActions.run(link.completionActions(), prospectId, "link:" + link.id(), link.name());
            }
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(link.targetUrl()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
