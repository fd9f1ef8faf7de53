package dev.kindling.support.salesforce;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.engine.crm.BulkCsv;
import dev.kindling.support.salesforce.FakeOrg.BulkJob;
import dev.kindling.support.salesforce.FakeOrg.Fault;
import dev.kindling.support.salesforce.FakeOrg.RecordError;
import dev.kindling.support.salesforce.FakeOrg.SfError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake Salesforce built from Salesforce's published REST API documentation, on a local port, started once per test
 * JVM and shared ({@link #shared()}); each test takes an org of its own ({@link #newOrg}), so tests never see each
 * other's records.
 *
 * <p>What it answers, with the documented shapes:
 * <ul>
 * <li>{@code POST /services/oauth2/token}: client credentials ({@code client_id}, {@code client_secret}) and JWT bearer
 * ({@code assertion} signed RS256, {@code iss} the client id, {@code sub} the user, {@code exp} in the future); the
 * answer carries {@code access_token} and {@code instance_url} (the org's base, {@code http://127.0.0.1:port/org/n}).
 * <li>under {@code <instance_url>/services/data/vNN.N/}: {@code limits}, {@code query} and {@code queryAll} with
 * {@code nextRecordsUrl} paging, {@code sobjects/X} create, {@code sobjects/X/id} get/update/delete,
 * {@code sobjects/X/Field/value} upsert by external id, {@code sobjects/X/deleted/} and {@code …/updated/},
 * {@code composite/sobjects} (≤ 200, {@code allOrNone}), Bulk API 2.0 {@code jobs/ingest} and {@code jobs/query}.
 * <li>every API answer has {@code Sforce-Limit-Info: api-usage=n/m}; errors are {@code [{"message","errorCode",
 * "fields"}]}; a missing or expired token is 401 {@code INVALID_SESSION_ID}; the daily allocation used up is 403
 * {@code REQUEST_LIMIT_EXCEEDED}.
 * </ul>
 */
public final class FakeSalesforce {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ORG_PATH = Pattern.compile("^/org/(\\d+)/services/data/v(\\d+\\.\\d)/(.*)$");
    private static volatile FakeSalesforce shared;

    private final HttpServer server;
    private final Map<Integer, FakeOrg> orgs = new ConcurrentHashMap<>();
    private final Map<String, FakeOrg> byClientId = new ConcurrentHashMap<>();
    private final AtomicInteger orgSequence = new AtomicInteger();

    private FakeSalesforce() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-salesforce");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The one fake of this JVM, started on first use. */
    public static synchronized FakeSalesforce shared() {
        if (shared == null) {
            try {
                shared = new FakeSalesforce();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The login URL the connector is configured with (token endpoint {@code /services/oauth2/token}). */
    public String loginUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A new, empty org whose timestamps come from the system clock. */
    public FakeOrg newOrg() {
        return newOrg(Clock.systemUTC()::instant);
    }

    /** A new, empty org whose timestamps ({@code SystemModstamp} …) come from {@code clock}. */
    public FakeOrg newOrg(Supplier<Instant> clock) {
        int n = orgSequence.incrementAndGet();
        FakeOrg org = new FakeOrg(
                "3MVG9fake" + n + UUID.randomUUID().toString().replace("-", ""),
                UUID.randomUUID().toString(),
                "integration" + n + "@example.test",
                clock);
        orgs.put(n, org);
        byClientId.put(org.clientId, org);
        return org;
    }

    /** The instance URL the token endpoint answers for {@code org}. */
    public String instanceUrl(FakeOrg org) {
        return orgs.entrySet().stream()
                .filter(e -> e.getValue() == org)
                .findFirst()
                .map(e -> loginUrl() + "/org/" + e.getKey())
                .orElseThrow();
    }

    // ---------------------------------------------------------------- HTTP

    private record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

        static Answer json(int status, Object body) {
            return new Answer(status, "application/json;charset=UTF-8", JSON.writeValueAsBytes(body), Map.of());
        }

        static Answer error(int status, String code, String message, List<String> fields) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", message);
            e.put("errorCode", code);
            if (fields != null) {
                e.put("fields", fields);
            }
            return json(status, List.of(e));
        }

        static Answer noContent() {
            return new Answer(204, null, new byte[0], Map.of());
        }

        static Answer csv(int status, String body, Map<String, String> headers) {
            return new Answer(status, "text/csv", body.getBytes(StandardCharsets.UTF_8), headers);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        FakeOrg org = null;
        try {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/services/oauth2/token")) {
                answer = token(exchange);
            } else {
                Matcher m = ORG_PATH.matcher(path);
                org = m.matches() ? orgs.get(Integer.valueOf(m.group(1))) : null;
                if (org == null) {
                    answer = Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
                } else {
                    answer = api(exchange, org, m.group(2), m.group(3));
                }
            }
        } catch (Soql.MalformedQuery e) {
            answer = Answer.error(400, "MALFORMED_QUERY", e.getMessage(), null);
        } catch (RuntimeException e) {
            answer = Answer.error(400, "JSON_PARSER_ERROR", String.valueOf(e.getMessage()), null);
        }
        if (org != null) {
            exchange.getResponseHeaders().set("Sforce-Limit-Info", org.limitInfo());
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            exchange.getResponseBody().write(answer.body());
        }
        exchange.close();
    }

    private Answer token(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            return Answer.json(405, Map.of("error", "invalid_request", "error_description", "must use HTTP POST"));
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        FakeOrg org;
        if (grant.equals("client_credentials")) {
            org = byClientId.get(form.getOrDefault("client_id", ""));
            if (org != null) {
                org.tokenRequested();
            }
            if (org == null || !org.clientSecret.equals(form.get("client_secret"))) {
                return Answer.json(
                        400, Map.of("error", "invalid_client", "error_description", "invalid client credentials"));
            }
        } else if (grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
            org = verifiedJwt(form.getOrDefault("assertion", ""));
            if (org != null) {
                org.tokenRequested();
            }
            if (org == null) {
                return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "invalid assertion"));
            }
        } else {
            return Answer.json(
                    400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
        }
        String token = "00Dfake!" + UUID.randomUUID().toString().replace("-", "");
        org.tokens.add(token);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("scope", "api");
        body.put("instance_url", instanceUrl(org));
        body.put("id", loginUrl() + "/id/00Dfake/005fake");
        body.put("token_type", "Bearer");
        body.put("issued_at", String.valueOf(org.now().toEpochMilli()));
        body.put("signature", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        return Answer.json(200, body);
    }

    private FakeOrg verifiedJwt(String assertion) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Map<String, Object> header =
                    JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), new TypeReference<>() {});
            Map<String, Object> claims =
                    JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() {});
            FakeOrg org = byClientId.get(String.valueOf(claims.get("iss")));
            if (org == null || org.jwtKey == null || !"RS256".equals(header.get("alg"))) {
                return null;
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(org.jwtKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            boolean valid = verifier.verify(Base64.getUrlDecoder().decode(parts[2]))
                    && org.username.equals(claims.get("sub"))
                    && claims.get("exp") instanceof Number exp
                    && exp.longValue() > org.now().getEpochSecond();
            return valid ? org : null;
        } catch (Exception e) {
            return null;
        }
    }

    private Answer api(HttpExchange exchange, FakeOrg org, String version, String rest) throws IOException {
        String method = exchange.getRequestMethod();
        String query = exchange.getRequestURI().getRawQuery();
        org.log(method + " /" + rest + (query == null ? "" : "?" + query));
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !org.tokens.contains(auth.substring(7))) {
            return Answer.error(401, "INVALID_SESSION_ID", "Session expired or invalid", null);
        }
        org.sessionUsed();
        Fault fault = org.nextFault();
        if (fault != null && fault != Fault.PASS) {
            org.countCall();
            return switch (fault) {
                case LOCK ->
                    Answer.error(
                            400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", List.of());
                case UNAVAILABLE ->
                    new Answer(
                            503,
                            "text/html",
                            "<html><body>Down for maintenance</body></html>".getBytes(StandardCharsets.UTF_8),
                            Map.of());
                case TOO_MANY_REQUESTS ->
                    Answer.error(429, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", null);
                case NON_JSON ->
                    new Answer(502, "text/plain", "Bad Gateway".getBytes(StandardCharsets.UTF_8), Map.of());
                case PASS -> throw new AssertionError();
            };
        }
        if (!org.countCall()) {
            return Answer.error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", null);
        }
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if (rest.equals("composite") && method.equals("POST")) {
            return composite(org, version, raw);
        }
        return route(org, version, method, rest, query, raw, exchange.getRequestHeaders()::getFirst);
    }

    /** An API request once authorised and counted (also each subrequest of a composite request). */
    private Answer route(
            FakeOrg org,
            String version,
            String method,
            String rest,
            String query,
            byte[] raw,
            java.util.function.Function<String, String> header) {
        // paths in answers (nextRecordsUrl, attributes.url) are relative to the instance URL, as Salesforce's are
        String base = "/services/data/v" + version;
        boolean allowDuplicates = String.valueOf(header.apply("Sforce-Duplicate-Rule-Header"))
                .replace(" ", "")
                .contains("allowSave=true");
        Map<String, String> params = form(query == null ? "" : query);
        String[] p = rest.split("/");

        if (rest.equals("limits") || rest.equals("limits/")) {
            return Answer.json(200, org.limits());
        }
        if ((p[0].equals("query") || p[0].equals("queryAll")) && method.equals("GET")) {
            if (p.length == 2) {
                return page(org, base, p[1]);
            }
            Soql soql = Soql.parse(params.getOrDefault("q", ""));
            if (!org.exists(soql.object())) {
                return Answer.error(
                        400, "INVALID_TYPE", "sObject type '" + soql.object() + "' is not supported.", null);
            }
            int size = org.pageSize;
            String options = header.apply("Sforce-Query-Options");
            if (options != null && options.matches("batchSize=\\d+")) {
                size = Math.min(size, Math.max(200, Integer.parseInt(options.substring(10))));
            }
            Deque<Map<String, Object>> rows = new ArrayDeque<>(org.query(soql, p[0].equals("queryAll")));
            String cursor =
                    "01gFAKE" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            org.cursors.put(cursor, rows);
            return pageOf(org, base, cursor, size, rows.size(), soql.object());
        }
        if (p[0].equals("sobjects") && p.length >= 2) {
            return sobjects(org, method, p, raw, params, allowDuplicates);
        }
        if (rest.equals("composite/sobjects")) {
            return collection(org, method, raw, params, allowDuplicates);
        }
        if (p[0].equals("jobs") && p.length >= 2) {
            return bulk(org, method, p, raw, params);
        }
        return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
    }

    // ---------------------------------------------------------------- composite

    /** Subrequests per composite request, and of them query operations (query, queryAll, next page). */
    static final int COMPOSITE_MAX = 25;

    static final int COMPOSITE_MAX_QUERIES = 5;

    /**
     * {@code POST composite}: {@code compositeRequest} subrequests ({@code method}, {@code url} under
     * {@code /services/data/vNN.N/}, {@code referenceId}, optional {@code body}), run in order; the whole request is
     * one API call. The answer is {@code {"compositeResponse":[{"body","httpHeaders","httpStatusCode","referenceId"}]}};
     * a failed subrequest's body is the usual error list. Only {@code allOrNone: false} is modelled (independent
     * subrequests, no {@code @{ref}} references).
     */
    private Answer composite(FakeOrg org, String version, byte[] raw) {
        Map<String, Object> request = body(raw);
        if (!(request.get("compositeRequest") instanceof List<?> subrequests) || subrequests.isEmpty()) {
            return Answer.error(400, "JSON_PARSER_ERROR", "compositeRequest is required", null);
        }
        if (Boolean.TRUE.equals(request.get("allOrNone"))) {
            return Answer.error(400, "INVALID_INPUT", "allOrNone is not modelled by this fake", null);
        }
        long queries = subrequests.stream()
                .filter(r ->
                        r instanceof Map<?, ?> m && String.valueOf(m.get("url")).matches(".*/query(All)?/.*"))
                .count();
        if (subrequests.size() > COMPOSITE_MAX || queries > COMPOSITE_MAX_QUERIES) {
            return Answer.error(
                    400,
                    "LIMIT_EXCEEDED",
                    "Composite allows at most " + COMPOSITE_MAX + " subrequests, " + COMPOSITE_MAX_QUERIES
                            + " of them queries",
                    null);
        }
        Pattern urlPattern = Pattern.compile("^/services/data/v(\\d+\\.\\d)/([^?]*)(?:\\?(.*))?$");
        List<Map<String, Object>> results = new ArrayList<>();
        for (Object o : subrequests) {
            Map<?, ?> sub = (Map<?, ?>) o;
            Matcher m = urlPattern.matcher(String.valueOf(sub.get("url")));
            String method = String.valueOf(sub.get("method"));
            Answer answer;
            Fault fault = org.nextSubrequestFault();
            if (!m.matches()) {
                answer = Answer.error(400, "INVALID_URL", "invalid subrequest url", null);
            } else if (fault == Fault.LOCK) {
                answer = Answer.error(
                        400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", List.of());
            } else {
                org.log(method + " /" + m.group(2) + (m.group(3) == null ? "" : "?" + m.group(3)) + " (composite)");
                String rest = m.group(2).replaceAll("/$", "");
                byte[] body = sub.get("body") == null ? new byte[0] : JSON.writeValueAsBytes(sub.get("body"));
                try {
                    answer = route(org, m.group(1), method, rest, m.group(3), body, h -> null);
                } catch (Soql.MalformedQuery e) {
                    answer = Answer.error(400, "MALFORMED_QUERY", e.getMessage(), null);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("body", answer.body().length == 0 ? null : JSON.readValue(answer.body(), Object.class));
            result.put("httpHeaders", Map.of());
            result.put("httpStatusCode", answer.status());
            result.put("referenceId", sub.get("referenceId"));
            results.add(result);
        }
        return Answer.json(200, Map.of("compositeResponse", results));
    }

    // ---------------------------------------------------------------- query paging

    private static final Map<String, Object[]> PAGE_STATE = new ConcurrentHashMap<>();

    private Answer pageOf(FakeOrg org, String base, String cursor, int size, int total, String object) {
        PAGE_STATE.put(cursor, new Object[] {size, total, object, 0});
        return page(org, base, cursor);
    }

    private Answer page(FakeOrg org, String base, String locator) {
        String cursor = locator.contains("-") ? locator.substring(0, locator.indexOf('-')) : locator;
        Deque<Map<String, Object>> rows = org.cursors.get(cursor);
        Object[] state = PAGE_STATE.get(cursor);
        if (rows == null || state == null) {
            return Answer.error(400, "INVALID_QUERY_LOCATOR", "invalid query locator", null);
        }
        int size = (int) state[0];
        int offset = (int) state[3];
        if (locator.contains("-") && Integer.parseInt(locator.substring(locator.indexOf('-') + 1)) != offset) {
            return Answer.error(400, "INVALID_QUERY_LOCATOR", "invalid query locator", null);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        while (records.size() < size && !rows.isEmpty()) {
            Map<String, Object> r = new LinkedHashMap<>();
            Map<String, Object> row = rows.poll();
            r.put("attributes", Map.of("type", state[2], "url", base + "/sobjects/" + state[2] + "/" + row.get("Id")));
            r.putAll(row);
            records.add(r);
        }
        state[3] = offset + records.size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", state[1]);
        body.put("done", rows.isEmpty());
        if (!rows.isEmpty()) {
            body.put("nextRecordsUrl", base + "/query/" + cursor + "-" + state[3]);
        } else {
            org.cursors.remove(cursor);
            PAGE_STATE.remove(cursor);
        }
        body.put("records", records);
        return Answer.json(200, body);
    }

    // ---------------------------------------------------------------- sObjects

    private Answer sobjects(
            FakeOrg org, String method, String[] p, byte[] raw, Map<String, String> params, boolean allowDuplicates) {
        String object = p[1];
        if (!org.exists(object)) {
            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
        }
        try {
            if (p.length == 2 && method.equals("POST")) {
                String id = org.apiCreate(object, body(raw), allowDuplicates);
                return Answer.json(201, saveResult(id, null));
            }
            if (p.length == 3 && (p[2].equals("deleted") || p[2].equals("updated")) && method.equals("GET")) {
                Instant start = FakeOrg.parseDateTime(params.get("start"));
                Instant end = FakeOrg.parseDateTime(params.get("end"));
                Map<String, Object> body = new LinkedHashMap<>();
                if (p[2].equals("deleted")) {
                    body.put(
                            "deletedRecords",
                            org.deletedBetween(object, start, end).stream()
                                    .map(d -> Map.of("id", d.id(), "deletedDate", FakeOrg.format(d.deletedAt())))
                                    .toList());
                    body.put("earliestDateAvailable", FakeOrg.format(org.now().minusSeconds(15L * 86_400)));
                } else {
                    body.put("ids", org.updatedBetween(object, start, end));
                }
                body.put("latestDateCovered", FakeOrg.format(end.isAfter(org.now()) ? org.now() : end));
                return Answer.json(200, body);
            }
            if (p.length == 3) {
                String id = p[2];
                Map<String, Object> record = org.record(object, id);
                switch (method) {
                    case "GET" -> {
                        if (record == null || Boolean.TRUE.equals(record.get("IsDeleted"))) {
                            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
                        }
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("attributes", Map.of("type", object, "url", "/sobjects/" + object + "/" + id));
                        out.putAll(record);
                        return Answer.json(200, out);
                    }
                    case "PATCH" -> {
                        org.apiUpdate(object, id, body(raw), allowDuplicates);
                        return Answer.noContent();
                    }
                    case "DELETE" -> {
                        org.apiDelete(object, id);
                        return Answer.noContent();
                    }
                    default -> {
                        return Answer.error(
                                405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", null);
                    }
                }
            }
            if (p.length == 4 && method.equals("PATCH")) {
                var result = org.apiUpsert(
                        object, p[2], URLDecoder.decode(p[3], StandardCharsets.UTF_8), body(raw), allowDuplicates);
                Map<String, Object> out = saveResult(result.getKey(), null);
                out.put("created", result.getValue());
                return Answer.json(result.getValue() ? 201 : 200, out);
            }
        } catch (RecordError e) {
            return Answer.error(e.status, e.error.errorCode(), e.error.message(), e.error.fields());
        }
        return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
    }

    private static Map<String, Object> saveResult(String id, SfError error) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (id != null) {
            out.put("id", id);
        }
        out.put("success", error == null);
        out.put(
                "errors",
                error == null
                        ? List.of()
                        : List.of(Map.of(
                                "statusCode",
                                error.errorCode(),
                                "message",
                                error.message(),
                                "fields",
                                error.fields())));
        return out;
    }

    /** Composite sObject collections: create (POST), update (PATCH), delete (DELETE {@code ?ids=}). */
    private Answer collection(
            FakeOrg org, String method, byte[] raw, Map<String, String> params, boolean allowDuplicates) {
        boolean allOrNone;
        List<Map<String, Object>> records;
        if (method.equals("DELETE")) {
            allOrNone = Boolean.parseBoolean(params.getOrDefault("allOrNone", "false"));
            records = new ArrayList<>();
            for (String id : params.getOrDefault("ids", "").split(",")) {
                if (!id.isBlank()) {
                    records.add(Map.of("Id", id));
                }
            }
        } else {
            Map<String, Object> body = body(raw);
            allOrNone = Boolean.TRUE.equals(body.get("allOrNone"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> given = (List<Map<String, Object>>) body.getOrDefault("records", List.of());
            records = given;
        }
        if (records.size() > 200) {
            return Answer.error(
                    400,
                    "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records" + " into this call",
                    null);
        }
        synchronized (org) {
            // allOrNone: check every record first against a copy of the rules' view, then apply all or none
            List<Map<String, Object>> results = new ArrayList<>();
            List<Runnable> undo = new ArrayList<>();
            boolean failed = false;
            for (Map<String, Object> r : records) {
                Map<String, Object> fields = new LinkedHashMap<>(r);
                @SuppressWarnings("unchecked")
                Map<String, Object> attributes = (Map<String, Object>) fields.remove("attributes");
                String id = (String) fields.remove("Id");
                try {
                    switch (method) {
                        case "POST" -> {
                            String object = attributes == null ? null : (String) attributes.get("type");
                            if (object == null || !org.exists(object)) {
                                throw new RecordError(
                                        400, new SfError("INVALID_TYPE", "invalid type: " + object, List.of()));
                            }
                            String created = org.apiCreate(object, fields, allowDuplicates);
                            undo.add(() -> org.purge(object, created));
                            results.add(saveResult(created, null));
                        }
                        case "PATCH" -> {
                            String object = objectOf(id);
                            Map<String, Object> before = org.record(object, id);
                            org.apiUpdate(object, id, fields, allowDuplicates);
                            undo.add(() -> org.edit(object, id, before));
                            results.add(saveResult(id, null));
                        }
                        case "DELETE" -> {
                            String object = objectOf(id);
                            org.apiDelete(object, id);
                            results.add(saveResult(id, null));
                        }
                        default -> throw new RecordError(405, new SfError("METHOD_NOT_ALLOWED", method, List.of()));
                    }
                } catch (RecordError e) {
                    failed = true;
                    Map<String, Object> out = saveResult(null, e.error);
                    if (id != null) {
                        out = new LinkedHashMap<>(out);
                        out.put("id", id);
                    }
                    results.add(out);
                }
            }
            if (failed && allOrNone) {
                undo.reversed().forEach(Runnable::run);
                SfError rolledBack = new SfError(
                        "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        "Record rolled back because not"
                                + " all records were valid and the request was using AllOrNone header",
                        List.of());
                results.replaceAll(r -> Boolean.TRUE.equals(r.get("success")) ? saveResult(null, rolledBack) : r);
            }
            return Answer.json(200, results);
        }
    }

    private static String objectOf(String id) {
        if (id == null || id.length() < 3) {
            throw new RecordError(400, new SfError("MALFORMED_ID", "malformed id " + id, List.of("Id")));
        }
        return switch (id.substring(0, 3)) {
            case "00Q" -> "Lead";
            case "003" -> "Contact";
            case "001" -> "Account";
            case "006" -> "Opportunity";
            case "00K" -> "OpportunityContactRole";
            case "005" -> "User";
            case "701" -> "Campaign";
            case "00v" -> "CampaignMember";
            default -> throw new RecordError(400, new SfError("MALFORMED_ID", "malformed id " + id, List.of("Id")));
        };
    }

    // ---------------------------------------------------------------- Bulk API 2.0

    private Answer bulk(FakeOrg org, String method, String[] p, byte[] raw, Map<String, String> params) {
        String kind = p[1];
        if (!kind.equals("ingest") && !kind.equals("query")) {
            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
        }
        if (p.length == 2 && method.equals("POST")) {
            Map<String, Object> body = body(raw);
            BulkJob job = new BulkJob(
                    "750FAKE" + UUID.randomUUID().toString().replace("-", "").substring(0, 11), kind);
            job.info.put("id", job.id);
            job.info.put("operation", body.get("operation"));
            if (kind.equals("ingest")) {
                job.info.put("object", body.get("object"));
                if (body.get("externalIdFieldName") != null) {
                    job.info.put("externalIdFieldName", body.get("externalIdFieldName"));
                }
                job.info.put("state", "Open");
            } else {
                Soql soql = Soql.parse(String.valueOf(body.get("query")));
                job.info.put("object", soql.object());
                job.queryFields = soql.fields();
                job.queryResult = org.query(soql, "queryAll".equals(body.get("operation")));
                // as documented: created UploadComplete, then InProgress, then JobComplete (one step per status read)
                job.info.put("state", "UploadComplete");
            }
            job.info.put("createdDate", FakeOrg.format(org.now()));
            job.info.put("concurrencyMode", "Parallel");
            job.info.put("contentType", "CSV");
            job.info.put("apiVersion", 66.0);
            job.info.put("lineEnding", "LF");
            job.info.put("columnDelimiter", "COMMA");
            job.info.put("jobType", kind.equals("ingest") ? "V2Ingest" : "V2Query");
            org.jobs.put(job.id, job);
            return Answer.json(200, job.info);
        }
        BulkJob job = p.length >= 3 ? org.jobs.get(p[2]) : null;
        if (job == null || !job.kind.equals(kind)) {
            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
        }
        if (p.length == 3 && method.equals("GET")) {
            if (kind.equals("query")) {
                switch (String.valueOf(job.info.get("state"))) {
                    case "UploadComplete" -> job.info.put("state", "InProgress");
                    case "InProgress" -> {
                        job.info.put("state", "JobComplete");
                        job.info.put("numberRecordsProcessed", job.queryResult.size());
                    }
                    default -> {}
                }
            }
            return Answer.json(200, job.info);
        }
        if (p.length == 4 && p[3].equals("batches") && method.equals("PUT")) {
            if (!"Open".equals(job.info.get("state"))) {
                return Answer.error(400, "INVALIDJOBSTATE", "Job is not open for upload", null);
            }
            job.upload.append(new String(raw, StandardCharsets.UTF_8));
            return new Answer(201, null, new byte[0], Map.of());
        }
        if (p.length == 3 && method.equals("PATCH")) {
            String state = String.valueOf(body(raw).get("state"));
            if (state.equals("UploadComplete") && "Open".equals(job.info.get("state"))) {
                process(org, job);
            } else if (state.equals("Aborted")) {
                job.info.put("state", "Aborted");
            }
            return Answer.json(200, job.info);
        }
        if (p.length == 4 && method.equals("GET") && kind.equals("ingest")) {
            List<Map<String, String>> rows = switch (p[3]) {
                case "successfulResults" -> job.succeeded;
                case "failedResults" -> job.failed;
                default -> null;
            };
            return rows == null
                    ? Answer.error(404, "NOT_FOUND", "no such resource", null)
                    : Answer.csv(200, BulkCsv.write(rows), Map.of());
        }
        if (p.length == 4 && p[3].equals("results") && kind.equals("query")) {
            if (!"JobComplete".equals(job.info.get("state"))) {
                return Answer.error(
                        412,
                        "JOB_NOT_COMPLETE",
                        "can only download query results of successfully completed bulk job with status:"
                                + " JOB_COMPLETE. Current status: "
                                + String.valueOf(job.info.get("state")).toUpperCase(java.util.Locale.ROOT),
                        null);
            }
            if (!params.getOrDefault("maxRecords", "1").matches("[1-9]\\d{0,8}")
                    || !params.getOrDefault("locator", "0").matches("\\d{1,9}")) {
                return Answer.error(400, "INVALIDPARAMETER", "invalid maxRecords or locator", null);
            }
            int max = Integer.parseInt(params.getOrDefault("maxRecords", "50000"));
            int from = Integer.parseInt(params.getOrDefault("locator", "0"));
            int to = Math.min(job.queryResult.size(), from + max);
            List<Map<String, String>> rows = new ArrayList<>();
            for (Map<String, Object> r : job.queryResult.subList(from, to)) {
                Map<String, String> row = new LinkedHashMap<>();
                for (String f : job.queryFields) {
                    Object v = r.get(f);
                    // CSV has no types; date-times are written as UTC with a Z, as Bulk API 2.0 writes them
                    String text = v == null ? "" : String.valueOf(v);
                    row.put(f, FakeOrg.isDateTime(text) ? text.replaceFirst("\\+0000$", "Z") : text);
                }
                rows.add(row);
            }
            String body = rows.isEmpty() ? String.join(",", job.queryFields) + "\n" : BulkCsv.write(rows);
            return Answer.csv(
                    200,
                    body,
                    Map.of(
                            "Sforce-Locator",
                            to >= job.queryResult.size() ? "null" : String.valueOf(to),
                            "Sforce-NumberOfRecords",
                            String.valueOf(rows.size())));
        }
        return Answer.error(404, "NOT_FOUND", "The requested resource does not exist", null);
    }

    private static void process(FakeOrg org, BulkJob job) {
        String object = String.valueOf(job.info.get("object"));
        String operation = String.valueOf(job.info.get("operation"));
        String external = (String) job.info.get("externalIdFieldName");
        for (Map<String, String> row : BulkCsv.read(job.upload.toString())) {
            Map<String, Object> fields = new LinkedHashMap<>();
            // Bulk API 2.0: an empty cell leaves the field as it is, #N/A blanks it
            row.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    fields.put(k, v.equals("#N/A") ? null : v);
                }
            });
            Map<String, String> result = new LinkedHashMap<>();
            try {
                switch (operation) {
                    case "insert" -> {
                        result.put("sf__Id", org.apiCreate(object, fields, false));
                        result.put("sf__Created", "true");
                    }
                    case "update" -> {
                        String id = (String) fields.remove("Id");
                        org.apiUpdate(object, id, fields, false);
                        result.put("sf__Id", id);
                        result.put("sf__Created", "false");
                    }
                    case "upsert" -> {
                        String key = String.valueOf(fields.remove(external));
                        var r = org.apiUpsert(object, external, key, fields, false);
                        result.put("sf__Id", r.getKey());
                        result.put("sf__Created", String.valueOf(r.getValue()));
                    }
                    case "delete" -> {
                        String id = String.valueOf(fields.get("Id"));
                        org.apiDelete(object, id);
                        result.put("sf__Id", id);
                        result.put("sf__Created", "false");
                    }
                    default ->
                        throw new RecordError(400, new SfError("INVALIDJOB", "operation " + operation, List.of()));
                }
                result.putAll(row);
                job.succeeded.add(result);
            } catch (RecordError e) {
                Map<String, String> failure = new LinkedHashMap<>();
                failure.put("sf__Id", "");
                failure.put(
                        "sf__Error",
                        e.error.errorCode() + ":" + e.error.message() + ":" + String.join(";", e.error.fields())
                                + "--");
                failure.putAll(row);
                job.failed.add(failure);
            }
        }
        job.info.put("state", "JobComplete");
        job.info.put("numberRecordsProcessed", job.succeeded.size() + job.failed.size());
        job.info.put("numberRecordsFailed", job.failed.size());
    }

    // ---------------------------------------------------------------- parsing

    private static Map<String, Object> body(byte[] raw) {
        if (raw.length == 0) {
            return new LinkedHashMap<>();
        }
        return JSON.readValue(raw, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    private static Map<String, String> form(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }
}
