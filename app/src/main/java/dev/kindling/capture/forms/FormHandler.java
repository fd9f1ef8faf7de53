package dev.kindling.capture.forms;

import dev.kindling.capture.RateLimiter;
import dev.kindling.capture.VisitorId;
import dev.kindling.capture.WebAddress;
import dev.kindling.engine.identity.BotSignature;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.platform.web.Problems;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The public form handler: any website's HTML form may post to {@code /f/{key}}. Redirect
 * targets come only from the form's configuration, never from the request. A filled honeypot
 * field ({@value FormValues#HONEYPOT}) gets the success redirect and stores nothing, so a bot
 * learns nothing. A form with a limit of its own answers posts over it with 429 and {@code Retry-After}.
 */
@RestController
class FormHandler {

    private static final int MAX_USER_AGENT = 1000;

    private final FormDesigns designs;
    private final FormPosts posts;
    private final FormRateLimits rateLimits;

    FormHandler(FormDesigns designs, FormPosts posts, FormRateLimits rateLimits) {
        this.designs = designs;
        this.posts = posts;
        this.rateLimits = rateLimits;
    }

    @PostMapping(
            path = "/f/{key}",
            consumes = {MediaType.APPLICATION_FORM_URLENCODED_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE})
    ResponseEntity<String> submit(@PathVariable String key, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        FormDesigns.Design design = designs.findByKey(key).orElseThrow(() -> new NotFoundException("No form " + key));
        Form form = design.form();
        Integer limit = design.settings().rateLimitPerMinute();
        RateLimiter.Decision decision = rateLimits.tryAcquire(form.id(), limit, request.getRemoteAddr());
        if (!decision.allowed()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            Problems.write(
                    response,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "This form takes at most " + limit + " submissions a minute from one address; try again in "
                            + decision.retryAfterSeconds() + " seconds");
            return null;
        }
        Map<String, String> posted = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                posted.put(name, values[0]);
            }
        });
        if (!posted.getOrDefault(FormValues.HONEYPOT, "").isEmpty()) {
            return seeOther(form.successUrl());
        }
        String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
        String referer = request.getHeader(HttpHeaders.REFERER);
        FormSubmissions.Origin origin = new FormSubmissions.Origin(
                visitor(posted, request),
                WebAddress.isReported(referer) && referer.length() <= 2000 ? referer : null,
                userAgent == null || userAgent.isBlank()
                        ? null
                        : userAgent.substring(0, Math.min(userAgent.length(), MAX_USER_AGENT)),
                BotSignature.isBot(userAgent));
        FormSubmissions.Outcome outcome =
                posts.submit(form, posted, origin, design.settings().progressive());
        if (outcome.valid()) {
            return seeOther(form.successUrl());
        }
        if (form.errorUrl() != null) {
            return seeOther(withErrors(form.errorUrl(), outcome.errors()));
        }
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(errorPage(form, outcome.errors()));
    }

    /** The hidden field filled by the tracking script (cross-origin posts), else the cookie (same-origin forms). */
    private static VisitorId visitor(Map<String, String> posted, HttpServletRequest request) {
        VisitorId fromField = VisitorId.parse(posted.get(VisitorId.FORM_FIELD));
        if (fromField != null || request.getCookies() == null) {
            return fromField;
        }
        for (Cookie cookie : request.getCookies()) {
            if (VisitorId.COOKIE.equals(cookie.getName())) {
                return VisitorId.parse(cookie.getValue());
            }
        }
        return null;
    }

    static String withErrors(String errorUrl, List<FieldError> errors) {
        String names = errors.stream()
                .map(FieldError::field)
                .distinct()
                .map(n -> URLEncoder.encode(n, StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
        int hash = errorUrl.indexOf('#');
        String base = hash < 0 ? errorUrl : errorUrl.substring(0, hash);
        String fragment = hash < 0 ? "" : errorUrl.substring(hash);
        return base + (base.contains("?") ? "&" : "?") + "errors=" + names + fragment;
    }

    private static ResponseEntity<String> seeOther(String url) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create(url))
                .build();
    }

    private static String errorPage(Form form, List<FieldError> errors) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Please check the form</title></head><body><h1>Please check the form</h1><p>")
                .append(HtmlUtils.htmlEscape(form.name()))
                .append("</p><ul>");
        for (FieldError e : errors) {
            html.append("<li><strong>")
                    .append(HtmlUtils.htmlEscape(e.field()))
                    .append("</strong> ")
                    .append(HtmlUtils.htmlEscape(e.message()))
                    .append("</li>");
        }
        return html.append("</ul><p>Go back and try again.</p></body></html>\n").toString();
    }
}
