package dev.kindling.capture.tracking;

import dev.kindling.capture.RateLimiter;
import dev.kindling.capture.VisitorId;
import dev.kindling.capture.WebAddress;
import dev.kindling.engine.identity.BotSignature;
import dev.kindling.platform.web.ClientErrors;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import dev.kindling.platform.web.Problems;
import dev.kindling.platform.web.RequestSizeLimitFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /t/collect}, the endpoint the tracking script's beacons post page views to: a servlet filter registered for
 * exactly that path ({@link TrackingConfiguration}), ahead of the session, Spring Security and Spring MVC, which it
 * never calls. It takes no credentials, no session and no CSRF token and answers nothing but a status, so what the
 * chains do for every request is no use to it; on a 2-core machine they were most of a beacon's cost (W10,
 * docs/benchmarks.md). What runs before it still runs: the body cap and parameter check
 * ({@link RequestSizeLimitFilter}). The HTTP server's request metrics leave it out (their observation cost a beacon
 * ~8 % of its app CPU); it counts its answers itself, by status ({@value #METRIC}).
 *
 * <p>It answers as the controller it replaces did: {@code POST} of {@code text/plain} (a beacon of a string, a CORS
 * "simple" request) or {@code application/json} → 204 once the view is durable, with
 * {@code Access-Control-Allow-Origin: *}; an invalid page view → 400 problem+json listing every field, nothing stored;
 * another content type → 415; a body over the cap → 413; a client over its rate limit → 429 with {@code Retry-After}
 * (the limit is taken with the batch the view is written in, {@link PageViews}); a CORS preflight → 200 allowing
 * {@code POST} and {@code Content-Type} from any origin; another method → 405.
 */
final class CollectEndpoint implements Filter {

    static final String PATH = "/t/collect";
    static final int MAX_URL = 2000;
    static final int MAX_TITLE = 500;
    static final int MAX_UTM = 200;
    static final int MAX_USER_AGENT = 1000;

    private static final Logger log = LoggerFactory.getLogger(CollectEndpoint.class);
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
    private static final String ALLOW = "POST, OPTIONS";

    /** The beacons answered, by status: the HTTP server's request metrics leave this path out. */
    static final String METRIC = "kindling.collect.requests";

    private final PageViews pageViews;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Map<Integer, Counter> answered = new ConcurrentHashMap<>();

    CollectEndpoint(PageViews pageViews, JsonMapper json, MeterRegistry meters) {
        this.pageViews = pageViews;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        try {
            switch (request.getMethod()) {
                case "POST" -> post(request, response);
                case "OPTIONS" -> options(request, response);
                default -> {
                    response.setHeader(HttpHeaders.ALLOW, ALLOW);
                    problem(
                            request,
                            response,
                            HttpStatus.METHOD_NOT_ALLOWED,
                            "Method '" + request.getMethod() + "' is not supported.",
                            null);
                }
            }
        } finally {
            answered.computeIfAbsent(
                            response.getStatus(),
                            status -> Counter.builder(METRIC)
                                    .description("Requests to the collect endpoint, by the status answered")
                                    .tag("status", Integer.toString(status))
                                    .register(meters))
                    .increment();
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        Charset charset = charsetOf(request.getContentType());
        if (charset == null) {
            response.setHeader(HttpHeaders.ACCEPT, "text/plain, application/json");
            problem(
                    request,
                    response,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + request.getContentType() + "' is not supported.",
                    null);
            return;
        }
        try {
            String body = new String(body(request), charset);
            PageView view = parse(body);
            String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
            String ua = userAgent == null || userAgent.isBlank()
                    ? null
                    : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
            RateLimiter.Decision decision = pageViews.record(
                    view, ua, BotSignature.isBot(userAgent), RateLimiter.clientOf(request.getRemoteAddr()));
            if (!decision.allowed()) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
                problem(
                        request,
                        response,
                        HttpStatus.TOO_MANY_REQUESTS,
                        "Too many requests from your address; try again later",
                        null);
                return;
            }
            response.setStatus(HttpStatus.NO_CONTENT.value());
        } catch (InvalidInputException e) {
            problem(request, response, e.status(), e.getMessage(), e.errors());
        } catch (RequestSizeLimitFilter.BodyTooLargeException e) {
            problem(
                    request,
                    response,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than this endpoint accepts",
                    null);
        } catch (RuntimeException e) {
            HttpStatus status = ClientErrors.statusOf(e);
            if (status.is4xxClientError()) {
                problem(request, response, status, "The request is not valid", null);
            } else {
                log.error("Unexpected error", e);
                problem(
                        request,
                        response,
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "Something went wrong on our side; nothing was changed",
                        null);
            }
        }
    }

    /**
     * The request's body. A declared length (at most the body cap, {@link RequestSizeLimitFilter}) is read into an
     * array of that size: {@code readAllBytes} would take a 16 KiB buffer per beacon and copy out of it. The container
     * reads no further than the declared length either way; an undeclared (chunked) body is read to its end.
     */
    static byte[] body(HttpServletRequest request) throws IOException {
        int declared = request.getContentLength();
        return declared >= 0
                ? request.getInputStream().readNBytes(declared)
                : request.getInputStream().readAllBytes();
    }

    /** The charset of a body the endpoint takes (text/plain or application/json; UTF-8 unless named), else null. */
    static Charset charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (!(type.getType().equals("text") && type.getSubtype().equals("plain"))
                    && !(type.getType().equals("application")
                            && type.getSubtype().equals("json"))) {
                return null;
            }
            Charset charset = type.getCharset();
            return charset == null ? StandardCharsets.UTF_8 : charset;
        } catch (IllegalArgumentException e) {
            // a malformed type (InvalidMediaTypeException), or a charset this JVM does not know
            return null;
        }
    }

    /** A CORS preflight of a JSON sender: any origin may POST with a Content-Type, nothing else. */
    private static void options(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        if (request.getHeader(HttpHeaders.ORIGIN) == null || method == null) {
            response.setHeader(HttpHeaders.ALLOW, ALLOW);
            response.setStatus(HttpStatus.OK.value());
            return;
        }
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        String headers = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        List<String> asked = new ArrayList<>();
        if (headers != null) {
            for (String header : headers.split(",")) {
                String name = header.trim();
                if (!name.isEmpty()) {
                    asked.add(name);
                }
            }
        }
        boolean allowed = method.equals("POST")
                && asked.stream().allMatch(h -> h.toLowerCase(Locale.ROOT).equals("content-type"));
        if (!allowed) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Invalid CORS request");
            return;
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "POST");
        if (!asked.isEmpty()) {
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", asked));
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400");
        response.setStatus(HttpStatus.OK.value());
    }

    /** A problem document as the app's problem handler writes one: type, title, status, detail, instance, errors. */
    private void problem(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String detail,
            List<FieldError> errors)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        if (errors != null && !errors.isEmpty()) {
            problem.put("errors", errors);
        }
        response.setStatus(status.value());
        response.setContentType(Problems.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(json.writeValueAsBytes(problem));
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
