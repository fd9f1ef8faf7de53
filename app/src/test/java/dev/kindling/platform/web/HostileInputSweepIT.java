package dev.kindling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PropertyRuns;
import dev.kindling.support.TestApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the app maps — read from Spring's handler mapping, so a new route is swept without being listed, and the
 * collect endpoint, which is served outside it — is sent
 * a corpus of hostile input: bad %-encoding and raw control characters (over a raw socket: HTTP clients refuse to
 * send them), hostile query values, and for routes that take a body, invalid JSON, wrong types, non-finite and huge
 * numbers, out-of-range dates, deep nesting, the wrong content type and an empty body. No answer may be a 5xx; API and
 * public routes answer every error as {@code application/problem+json}; UI pages with an unknown id answer 404 (or
 * 400) with the app's error page.
 *
 * <p>The corpus is spread over the routes rather than crossed with them ({@link #spread}): the routes of one controller
 * (a family: one request mapping, one way of reading and validating) are sent each kind of input once between them, and
 * every route gets at least one — every route and every kind of input per family is covered, in a few thousand requests
 * instead of tens of thousands. The deep run ({@code -Pdeep}, {@link PropertyRuns}) sends every kind to every route.
 */
@IntegrationTest
class HostileInputSweepIT {

    static final String UNKNOWN_ID = "987654321";

    static final List<String> QUERY_VALUES = List.of(
            "",
            "abc",
            "99999999999999999999",
            "1e309",
            "0000-01-01",
            "+275760-09-13",
            "2026-13-45",
            "\u0000\u0001\n",
            "x".repeat(5000),
            "%%%zz");

    static final List<String> FIELDS = List.of(
            "email",
            "firstName",
            "lastName",
            "company",
            "name",
            "key",
            "type",
            "score",
            "points",
            "delta",
            "amount",
            "closeDate",
            "occurredAt",
            "from",
            "to",
            "until",
            "at",
            "stage",
            "status",
            "value",
            "condition",
            "conditions",
            "actions",
            "steps",
            "start",
            "listId",
            "listIds",
            "prospectId",
            "prospectIds",
            "campaignId",
            "userId",
            "teamId",
            "ownerId",
            "role",
            "limit",
            "cost",
            "startDate",
            "endDate",
            "mqlScore",
            "threshold",
            "halfLifeDays",
            "firstContactHours",
            "target",
            "weight",
            "fieldMapping",
            "requiredFields",
            "successUrl",
            "targetUrl",
            "url",
            "subject",
            "html",
            "reason",
            "note",
            "members",
            "criteria",
            "events",
            "password",
            "externalId",
            "properties",
            "mapping",
            "ids");

    static final List<String> JSON_VALUES = List.of(
            "1e309",
            "-1e309",
            "1e999999999",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "1.5",
            "true",
            "[]",
            "{}",
            "null",
            "\"\"",
            "\"0000-01-01T00:00:00Z\"",
            "\"+275760-09-13T00:00:00Z\"",
            "\"0000-01-01\"",
            "\"275760-09-13\"",
            "\"\\u0000\\u001f\"",
            "\"" + "x".repeat(20_000) + "\"",
            "[1e309]",
            "[99999999999999999999]",
            "{\"all\":[{\"field\":1e309}]}");

    static final List<String> JSON_DOCUMENTS = List.of(
            "",
            "{",
            "not json",
            "[]",
            "null",
            "\"text\"",
            "1e309",
            "{\"a\":1,\"a\":2}",
            "[".repeat(100_000) + "]".repeat(100_000),
            "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000),
            "\uFEFF{}");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi api;
    /** Pages are sent without the API key, with the signed-in admin's session. */
    TestApi pages;

    String formKey;
    long prospectId;
    /** The admin's session and its CSRF token: signed in once for the class (a sign-in is a password hash check). */
    static String sessionCookie;

    static String csrf;

    final List<String> failures = new ArrayList<>();

    /**
     * One mapped route: its method, its path with the variables filled in, what the handler reads, and its family (the
     * controller that maps it).
     */
    record Route(String method, String pattern, String path, boolean takesBody, List<String> params, String family) {

        boolean api() {
            return pattern.startsWith("/api/") || pattern.startsWith("/actuator");
        }

        boolean publicCapture() {
            return pattern.startsWith("/f/")
                    || pattern.startsWith("/t/")
                    || pattern.startsWith("/l/")
                    || pattern.startsWith("/e/");
        }

        boolean ui() {
            return !api() && !publicCapture();
        }

        boolean hasVariables() {
            return pattern.contains("{");
        }
    }

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        pages = new TestApi(port, null);
        rateLimits.reset();
        formKey = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        var form = api.post("/api/v1/forms", """
                {"key":"%s","name":"Sweep","fieldMapping":{"email":"email","first":"firstName","employees":"employees"},
                 "requiredFields":["firstName"],"successUrl":"https://www.example.com/thanks"}""".formatted(formKey));
        assertThat(form.status()).as(form.body()).isEqualTo(201);
        var prospect = api.post("/api/v1/prospects", """
                {"email":"sweep-%s@hostile.example"}""".formatted(UUID.randomUUID()));
        assertThat(prospect.status()).as(prospect.body()).isEqualTo(201);
        prospectId = prospect.json().get("id").asLong();
        if (sessionCookie == null) {
            signIn();
        }
    }

    @Test
    void noRouteAnswersMalformedRequestsWithA5xxAndApiAndPublicRoutesAnswerProblemJson() {
        List<Route> routes = routes(UNKNOWN_ID);
        assertThat(routes).as("the sweep finds the routes").hasSizeGreaterThan(100);
        BiConsumer<Route, String> send = (route, target) -> {
            RawResponse response = raw(route, target);
            expectRefused(route, "raw " + printable(target), response.status(), response.contentType());
        };
        spread(
                routes,
                List.of("?%zz=1", "?a=%", "?cursor=%%%zz", "?a=%ff%fe", "?a\u0001b=1", "?a=1\u007f"),
                (route, query) -> send.accept(route, route.path() + query));
        spread(
                routes.stream().filter(Route::hasVariables).toList(),
                List.of("%zz", "%00"),
                (route, variable) -> send.accept(route, route.pattern().replaceAll("\\{[^}]+}", variable)));
        assertThat(failures).as(failures.size() + " failures").isEmpty();
    }

    @Test
    void noRouteAnswersHostileQueryValuesWithA5xx() {
        List<Route> gets = routes(UNKNOWN_ID).stream()
                .filter(r -> r.method().equals("GET"))
                .toList();
        List<String> values = new ArrayList<>(QUERY_VALUES);
        values.add(null); // control characters in the parameter names
        spread(gets, values, (route, value) -> {
            if (value == null) {
                TestApi.Response names0 = send(route, route.path() + "?%00=1&a%0D%0Ab=2&%E2%80%AE=3", null, null);
                expectNo5xx(route, "control characters in parameter names", names0.status(), names0.contentType());
                return;
            }
            Set<String> names = new TreeSet<>(route.params());
            names.add("cursor");
            String query = names.stream().map(n -> n + "=" + encode(value)).collect(Collectors.joining("&"));
            TestApi.Response response = send(route, route.path() + "?" + query, null, null);
            expectNo5xx(route, "query " + printable(value), response.status(), response.contentType());
        });
        assertThat(failures).as(failures.size() + " failures").isEmpty();
    }

    @Test
    void noRouteThatTakesABodyAnswersHostileBodiesWithA5xx() {
        List<Route> bodies = new ArrayList<>();
        for (Route route : routes(UNKNOWN_ID)) {
            if (!route.takesBody()) {
                continue;
            }
            if (route.pattern().startsWith("/f/")) {
                sweepFormHandler(route);
            } else if (!route.ui()) {
                bodies.add(route);
            }
        }
        List<Body> corpus = new ArrayList<>();
        for (String document : JSON_DOCUMENTS) {
            corpus.add(new Body("document " + printable(document), "application/json", document));
        }
        for (String value : JSON_VALUES) {
            corpus.add(new Body("every field " + printable(value), "application/json", everyField(value)));
            corpus.add(new Body("list of " + printable(value), "application/json", "[" + value + "]"));
        }
        corpus.add(new Body("text/plain", "text/plain", "{}"));
        corpus.add(new Body("xml", "application/xml", "<a/>"));
        corpus.add(new Body("multipart without a boundary", "multipart/form-data", "abc"));
        corpus.add(new Body("form with bad encoding", "application/x-www-form-urlencoded", "a=%zz"));
        spread(bodies, corpus, (route, body) -> {
            if (body.body().equals("[]") && route.method().equals("PUT") && !route.hasVariables()) {
                // a valid, empty replacement of a global list (suppression lists, assignment rules): an empty object
                expectBody(route, "document {}", body.contentType(), "{}");
            } else {
                expectBody(route, body.what(), body.contentType(), body.body());
            }
        });
        assertThat(failures).as(failures.size() + " failures").isEmpty();
    }

    @Test
    void theProspectRoutesOfAnExistingProspectAnswerHostileBodiesWith4xx() {
        List<Route> prospectRoutes = routes(Long.toString(prospectId)).stream()
                .filter(r -> r.takesBody() && r.pattern().startsWith("/api/v1/prospects/{id}"))
                .toList();
        assertThat(prospectRoutes).as("the prospect routes that take a body").isNotEmpty();
        spread(
                prospectRoutes,
                JSON_VALUES,
                (route, value) ->
                        expectBody(route, "every field " + printable(value), "application/json", everyField(value)));
        assertThat(failures).as(failures.size() + " failures").isEmpty();
    }

    @Test
    void everyUiPageWithAnUnknownIdAnswers404Or400WithTheAppsErrorPage() {
        int swept = 0;
        Set<String> mismatchedFamilies = new HashSet<>();
        for (Route route : routes(UNKNOWN_ID)) {
            if (!route.ui() || !route.hasVariables()) {
                continue;
            }
            TestApi.Response response = route.method().equals("GET")
                    ? send(route, route.path(), null, null)
                    : send(route, route.path(), "application/x-www-form-urlencoded", "_csrf=" + encode(csrf));
            swept++;
            if (route.method().equals("GET") && response.status() != 404 && response.status() != 400) {
                failures.add(route.method() + " " + route.path() + ": " + response.status() + " (expected 404 or 400)");
            } else if (response.status() >= 500) {
                failures.add(route.method() + " " + route.path() + ": " + response.status());
            } else if (response.status() >= 400 && !response.contentType().startsWith("text/html")) {
                failures.add(route.method() + " " + route.path() + ": " + response.status() + " as "
                        + response.contentType());
            } else if (route.method().equals("GET")
                    && !(response.contentType().startsWith("text/html")
                            && response.body().contains("Back to the"))) {
                failures.add(
                        route.method() + " " + route.path() + ": not the app's error page: " + response.contentType());
            }
            // an id that is no number: one way of converting ids per family (its controller), so once per family
            String typeMismatch = route.pattern().replaceAll("\\{[^}]+}", "not-a-number");
            boolean mismatched =
                    route.method().equals("GET") && (mismatchedFamilies.add(route.family()) || PropertyRuns.deep());
            TestApi.Response mismatch = mismatched ? send(route, typeMismatch, null, null) : null;
            if (mismatch != null && mismatch.status() != 404 && mismatch.status() != 400) {
                failures.add("GET " + typeMismatch + ": " + mismatch.status() + " (expected 404 or 400)");
            }
        }
        assertThat(swept).as("UI routes with ids").isGreaterThan(30);
        assertThat(failures).as(failures.size() + " failures").isEmpty();
    }

    @Test
    void everyCsvExportAnswersBadDatesWith400AndTheAppsErrorPage() {
        int swept = 0;
        for (Route route : routes("follow-up")) {
            boolean export = route.pattern().contains("csv") || route.pattern().endsWith("/export");
            if (!route.ui()
                    || !route.method().equals("GET")
                    || !export
                    || !route.params().contains("from")) {
                continue;
            }
            for (String dates : List.of(
                    "from=2026-13-45",
                    "from=0000-01-01&to=2026-01-31",
                    "from=2026-03-01&to=2026-01-31",
                    "to=%2B275760-09-13")) {
                swept++;
                TestApi.Response response = send(route, route.path() + "?" + dates, null, null);
                if (response.status() != 400 || !response.body().contains("Back to the")) {
                    failures.add("GET " + route.path() + "?" + dates + ": " + response.status() + " "
                            + response.contentType());
                }
            }
        }
        assertThat(swept).as("CSV exports with a period").isGreaterThanOrEqualTo(8);
        assertThat(failures).as(failures.size() + " failures").isEmpty();
    }

    /** A hostile body: what it is, its content type and the body. */
    record Body(String what, String contentType, String body) {}

    private static String everyField(String value) {
        return FIELDS.stream().map(f -> "\"" + f + "\":" + value).collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * Sends the inputs to the routes, family by family (the routes of one controller): each input to one route of the
     * family, the family's routes in turn, until every input was sent and every route was sent one — so each family
     * gets every kind of input once and each route at least one, in the larger of the two counts per family rather
     * than their product. The deep run ({@code -Pdeep}) sends every input to every route.
     */
    static <T> void spread(List<Route> routes, List<T> inputs, BiConsumer<Route, T> send) {
        Map<String, List<Route>> families = new LinkedHashMap<>();
        routes.forEach(r ->
                families.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
        boolean everyToEvery = PropertyRuns.deep();
        for (List<Route> family : families.values()) {
            if (everyToEvery) {
                family.forEach(route -> inputs.forEach(input -> send.accept(route, input)));
                continue;
            }
            for (int k = 0, n = Math.max(family.size(), inputs.size()); k < n; k++) {
                send.accept(family.get(k % family.size()), inputs.get(k % inputs.size()));
            }
        }
    }

    // --- the form handler takes forms, not JSON

    private void sweepFormHandler(Route route) {
        String path = "/f/" + formKey;
        for (String value : QUERY_VALUES) {
            String form = "email=" + encode(value) + "&first=" + encode(value) + "&employees=" + encode(value);
            rateLimits.reset();
            TestApi.Response response = send(route, path, "application/x-www-form-urlencoded", form);
            boolean formErrorPage = response.status() == 400
                    && response.contentType().startsWith("text/html")
                    && response.body().contains("Please check the form");
            if (!formErrorPage) {
                expectNo5xx(route, "form value " + printable(value), response.status(), response.contentType());
            }
        }
        for (String[] body : List.of(
                new String[] {"application/json", "{\"email\":\"a@b.example\"}"},
                new String[] {"multipart/form-data", "abc"},
                new String[] {"application/x-www-form-urlencoded", "a=%zz"},
                new String[] {"text/plain", "email=a@b.example"})) {
            rateLimits.reset();
            TestApi.Response response = send(route, path, body[0], body[1]);
            expectRefused(route, "form body " + body[0], response.status(), response.contentType());
        }
    }

    // --- expectations

    private void expectBody(Route route, String what, String contentType, String body) {
        if (route.publicCapture()) {
            rateLimits.reset();
        }
        TestApi.Response response = send(route, route.path(), contentType, body);
        expectNo5xx(route, what, response.status(), response.contentType());
    }

    private void expectNo5xx(Route route, String what, int status, String contentType) {
        if (status >= 500) {
            failures.add(route.method() + " " + route.path() + " [" + what + "]: " + status);
        } else if (status >= 400 && !route.ui() && !contentType.startsWith("application/problem+json")) {
            failures.add(route.method() + " " + route.path() + " [" + what + "]: " + status + " as " + contentType);
        }
    }

    private void expectRefused(Route route, String what, int status, String contentType) {
        if (status < 400 || status >= 500) {
            failures.add(route.method() + " " + route.path() + " [" + what + "]: " + status + " (expected 4xx)");
        } else if (!route.ui() && !contentType.startsWith("application/problem+json")) {
            failures.add(route.method() + " " + route.path() + " [" + what + "]: " + status + " as " + contentType);
        }
    }

    // --- the routes, from Spring's own mapping

    private List<Route> routes(String id) {
        List<Route> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String pattern : patterns(info)) {
                if (pattern.equals("/error") || pattern.startsWith("/v3/") || pattern.startsWith("/swagger")) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    routes.add(new Route(
                            method.name(),
                            pattern,
                            fill(pattern, id),
                            takesBody(info, handler),
                            params(handler),
                            handler.getBeanType().getName()));
                }
            }
        });
        // served outside Spring MVC, by a filter of its own (CollectEndpoint): named here, swept like the others
        routes.add(new Route("POST", "/t/collect", "/t/collect", true, List.of(), "CollectEndpoint"));
        routes.sort((a, b) -> (a.pattern() + a.method()).compareTo(b.pattern() + b.method()));
        return routes;
    }

    private static Set<String> patterns(RequestMappingInfo info) {
        return info.getPathPatternsCondition() != null
                ? info.getPathPatternsCondition().getPatternValues()
                : info.getPatternValues();
    }

    private String fill(String pattern, String id) {
        String path = pattern.replace("/**", "/x");
        if (path.startsWith("/f/")) {
            path = path.replaceAll("\\{[^}]+}", formKey);
        }
        return path.replaceAll("\\{[^}]+}", id);
    }

    private static boolean takesBody(RequestMappingInfo info, HandlerMethod handler) {
        return !info.getConsumesCondition().isEmpty()
                || Arrays.stream(handler.getMethodParameters())
                        .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
    }

    private static List<String> params(HandlerMethod handler) {
        List<String> names = new ArrayList<>();
        for (MethodParameter parameter : handler.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                parameter.initParameterNameDiscovery(new org.springframework.core.DefaultParameterNameDiscoverer());
                String name = !param.name().isEmpty()
                        ? param.name()
                        : !param.value().isEmpty() ? param.value() : parameter.getParameterName();
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    // --- sending: the API with the admin key, pages with a signed-in admin session

    private TestApi.Response send(Route route, String target, String contentType, String body) {
        HttpRequest.Builder request = (route.ui() ? pages : api).request(target);
        if (route.ui()) {
            request.header("Cookie", sessionCookie).header("Accept", "text/html");
            if (!route.method().equals("GET")) {
                request.header("X-CSRF-TOKEN", csrf);
            }
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return api.send(request.method(route.method(), publisher).build());
    }

    record RawResponse(int status, String contentType) {}

    /** Sends the request line as given, bytes and all, over a plain socket. */
    private RawResponse raw(Route route, String target) {
        if (route.publicCapture()) {
            rateLimits.reset();
        }
        StringBuilder head = new StringBuilder(route.method())
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: localhost:")
                .append(port)
                .append("\r\nConnection: close\r\n");
        if (route.ui()) {
            head.append("Cookie: ")
                    .append(sessionCookie)
                    .append("\r\nX-CSRF-TOKEN: ")
                    .append(csrf)
                    .append("\r\n");
        } else {
            head.append("Authorization: Bearer ").append(TestApi.ADMIN_KEY).append("\r\n");
        }
        if (!route.method().equals("GET")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = readAll(socket.getInputStream());
            Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(response);
            if (!status.find()) {
                return new RawResponse(0, "");
            }
            Matcher type =
                    Pattern.compile("(?im)^content-type:\\s*([^\\r\\n]+)").matcher(response);
            return new RawResponse(
                    Integer.parseInt(status.group(1)),
                    type.find() ? type.group(1).toLowerCase(Locale.ROOT) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            bytes.write(buffer, 0, n);
            int end = bytes.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            if (end >= 0) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private void signIn() {
        TestApi anonymous = new TestApi(port, null);
        var loginPage = anonymous.get("/login");
        String cookie = cookie(loginPage);
        var login = anonymous.send(anonymous
                .request("/login")
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + encode("admin@kindling.local") + "&password="
                        + encode(TestApi.ADMIN_PASSWORD) + "&_csrf=" + encode(token(loginPage.body()))))
                .build());
        sessionCookie = cookie(login);
        var home = anonymous.send(
                anonymous.request("/").header("Cookie", sessionCookie).GET().build());
        assertThat(home.status()).as("the admin signs in").isEqualTo(200);
        csrf = token(home.body());
    }

    private static String cookie(TestApi.Response response) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow();
    }

    private static String token(String page) {
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).as("the page carries a CSRF token").isTrue();
        return token.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…(" + value.length() + ")" : value;
        return shown.chars()
                .mapToObj(c -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c))
                .collect(Collectors.joining());
    }
}
