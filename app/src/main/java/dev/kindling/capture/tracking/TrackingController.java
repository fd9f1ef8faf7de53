package dev.kindling.capture.tracking;

import dev.kindling.capture.VisitorId;
import dev.kindling.capture.WebAddress;
import dev.kindling.engine.identity.BotSignature;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the tracking script and takes the page views it sends. The collect endpoint is called
 * cross-origin from every tracked site: a beacon of a string is a CORS "simple" request
 * ({@code text/plain}), and JSON senders get a preflight answer; both allow any origin, since the
 * endpoint takes no credentials and returns nothing.
 */
@RestController
class TrackingController {

    static final int MAX_URL = 2000;
    static final int MAX_TITLE = 500;
    static final int MAX_UTM = 200;
    static final int MAX_USER_AGENT = 1000;
    private static final List<String> UTM =
            List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");
    private static final Set<String> FIELDS = Set.of(
            "visitorId",
            "url",
            "title",
            "referrer",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "utm_content");

    private final PageViews pageViews;
    private final JsonMapper json;
    private final byte[] script;

    TrackingController(PageViews pageViews, JsonMapper json) {
        this.pageViews = pageViews;
        this.json = json;
        try (InputStream in = new ClassPathResource("static/t/kindling.js").getInputStream()) {
            this.script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the tracking script is missing from the build", e);
        }
    }

    @GetMapping("/t/kindling.js")
    ResponseEntity<byte[]> script() {
        return ResponseEntity.ok()
                .contentType(new MediaType("application", "javascript", java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
                .header("Cross-Origin-Resource-Policy", "cross-origin")
                .body(script);
    }

    @CrossOrigin(
            origins = "*",
            methods = {RequestMethod.POST},
            allowedHeaders = "Content-Type",
            allowCredentials = "false",
            maxAge = 86400)
    @PostMapping(
            path = "/t/collect",
            consumes = {"text/plain", "application/json"})
    ResponseEntity<Void> collect(
            @RequestBody(required = false) String body,
            @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        PageView view = parse(body);
        String ua = userAgent == null || userAgent.isBlank()
                ? null
                : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        pageViews.record(view, ua, BotSignature.isBot(userAgent));
        return ResponseEntity.noContent().build();
    }

    PageView parse(String body) {
        if (body == null || body.isBlank()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        Map<String, Object> raw = JsonValues.object(node, "body");
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        VisitorId visitor = raw.get("visitorId") instanceof String s ? VisitorId.parse(s) : null;
        if (visitor == null) {
            errors.add(new FieldError("visitorId", "must be 16 to 64 letters, digits, '-' or '_'"));
        }
        String url = text(raw, "url", MAX_URL, errors);
        if (url == null) {
            if (errors.stream().noneMatch(e -> e.field().equals("url"))) {
                errors.add(new FieldError("url", "is required"));
            }
        } else if (!WebAddress.isReported(url)) {
            errors.add(new FieldError("url", "must be an absolute http(s) URL"));
        }
        String title = text(raw, "title", MAX_TITLE, errors);
        String referrer = text(raw, "referrer", MAX_URL, errors);
        if (referrer != null && !WebAddress.isReported(referrer)) {
            errors.add(new FieldError("referrer", "must be an absolute http(s) URL"));
        }
        Map<String, String> utm = new LinkedHashMap<>();
        for (String name : UTM) {
            String value = text(raw, name, MAX_UTM, errors);
            if (value != null) {
                utm.put(name, value);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new PageView(visitor, url, title, referrer, utm);
    }

    /** The field as text, or null when absent or empty; wrong types, control characters and overlong text are errors. */
    private static String text(Map<String, Object> raw, String field, int max, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        if (s.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                errors.add(new FieldError(field, "must not contain control characters"));
                return null;
            }
        }
        return s.isEmpty() ? null : s;
    }
}
