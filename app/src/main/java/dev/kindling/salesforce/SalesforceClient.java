package dev.kindling.salesforce;

import dev.kindling.engine.crm.ApiBudget;
import dev.kindling.engine.crm.Backoff;
import dev.kindling.engine.crm.BulkCsv;
import dev.kindling.engine.crm.CrmErrors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Salesforce's REST API as the connector uses it: OAuth 2.0 server-to-server sign-in (client credentials or JWT
 * bearer), SOQL queries with {@code nextRecordsUrl} paging, single records, composite sObject collections (≤ 200 per
 * call), {@code /deleted/}, {@code /limits} and Bulk API 2.0 ingest and query jobs.
 *
 * <p>Every answer's {@code Sforce-Limit-Info} is read ({@link #usage()}). Failures are handled as
 * {@link CrmErrors} classifies them: retried with {@link Backoff} (lock errors, 5xx, 429, answers that are not JSON),
 * the token refreshed once on {@code 401 INVALID_SESSION_ID}, {@link LimitReached} thrown on
 * {@code REQUEST_LIMIT_EXCEEDED}, a record's own errors returned in its {@link SaveResult}, anything else thrown as
 * {@link SalesforceException}. One client serves one connection; it is safe for one thread at a time.
 */
public final class SalesforceClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int COLLECTION_SIZE = 200;
    private static final DateTimeFormatter SOQL_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter REST_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'").withZone(ZoneOffset.UTC);

    /** Waits between retries; production sleeps, tests record the waits. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /** How the connector signs in. */
    public sealed interface Credentials permits ClientCredentials, JwtBearer {
        String clientId();
    }

    /** OAuth 2.0 client credentials flow: the External Client App's consumer key and secret. */
    public record ClientCredentials(String clientId, String clientSecret) implements Credentials {}

    /** OAuth 2.0 JWT bearer flow: the consumer key, the integration user and the key whose certificate the app has. */
    public record JwtBearer(String clientId, String username, java.security.PrivateKey key) implements Credentials {}

    /** A Salesforce error: {@code errorCode} (or a collection's {@code statusCode}), message and fields. */
    public record SfError(String code, String message, List<String> fields) {}

    /** The outcome of one record's write. */
    public record SaveResult(String id, boolean success, boolean created, List<SfError> errors) {

        public Optional<SfError> error() {
            return errors.stream().findFirst();
        }
    }

    /** One page of a query: its records, whether it was the last, and the URL of the next. */
    public record QueryPage(int totalSize, boolean done, String nextRecordsUrl, List<Map<String, Object>> records) {}

    /** Records deleted in a window, and how far Salesforce's answer reaches. */
    public record Deleted(
            List<String> ids,
            Map<String, Instant> deletedAt,
            Instant earliestDateAvailable,
            Instant latestDateCovered) {}

    /** A Bulk API 2.0 ingest job's results: the rows that succeeded (with {@code sf__Id}) and failed
     * (with {@code sf__Error}). */
    public record BulkResult(String jobId, List<Map<String, String>> succeeded, List<Map<String, String>> failed) {}

    /** A request Salesforce refused for a reason the connector cannot fix by retrying. */
    public static class SalesforceException extends RuntimeException {
        private final int status;
        private final String code;

        public SalesforceException(String message, int status, String code) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    /** The org's API allocation is used up ({@code REQUEST_LIMIT_EXCEEDED}): the sync stops and alerts. */
    public static final class LimitReached extends SalesforceException {
        public LimitReached(String message) {
            super(message, 403, "REQUEST_LIMIT_EXCEEDED");
        }
    }

    private final String loginUrl;
    private final String apiVersion;
    private final Credentials credentials;
    private final HttpClient http;
    private final Clock clock;
    private final Pause pause;
    private final RandomGenerator random;
    private final AtomicLong calls = new AtomicLong();
    private volatile String accessToken;
    private volatile String instanceUrl;
    private volatile ApiBudget.Usage usage;

    public SalesforceClient(
            String loginUrl,
            String apiVersion,
            Credentials credentials,
            HttpClient http,
            Clock clock,
            Pause pause,
            RandomGenerator random) {
        this.loginUrl = loginUrl.replaceAll("/+$", "");
        this.apiVersion = apiVersion.startsWith("v") ? apiVersion.substring(1) : apiVersion;
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
        this.pause = pause;
        this.random = random;
    }

    /** The org's usage from the last answer's {@code Sforce-Limit-Info}, or {@code null} before the first. */
    public ApiBudget.Usage usage() {
        return usage;
    }

    /** API calls this client made (the token endpoint is not an API call). */
    public long calls() {
        return calls.get();
    }

    /** The instance URL of the current session ({@code null} before signing in). */
    public String instanceUrl() {
        return instanceUrl;
    }

    /** A SOQL date-time literal. */
    public static String soqlDateTime(Instant at) {
        return SOQL_DATE_TIME.format(at);
    }

    // ---------------------------------------------------------------- auth

    /** Sign in (again), replacing the session. */
    public void signIn() {
        Map<String, String> form = new LinkedHashMap<>();
        switch (credentials) {
            case ClientCredentials c -> {
                form.put("grant_type", "client_credentials");
                form.put("client_id", c.clientId());
                form.put("client_secret", c.clientSecret());
            }
            case JwtBearer j -> {
                form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                form.put("assertion", assertion(j));
            }
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b)
                .orElse("");
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(loginUrl + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            Map<String, Object> answer = json(response.body()).orElse(null);
            if (response.statusCode() == 200 && answer != null && answer.get("access_token") != null) {
                accessToken = (String) answer.get("access_token");
                instanceUrl = String.valueOf(answer.get("instance_url")).replaceAll("/+$", "");
                return;
            }
            boolean retry = response.statusCode() >= 500 || response.statusCode() == 429 || answer == null;
            if (!retry || attempt + 1 >= Backoff.MAX_ATTEMPTS) {
                String error = answer == null
                        ? "HTTP " + response.statusCode()
                        : answer.get("error") + ": " + answer.get("error_description");
                throw new SalesforceException(
                        "Salesforce sign-in failed: " + error,
                        response.statusCode(),
                        answer == null ? null : String.valueOf(answer.get("error")));
            }
            backoff(attempt);
        }
    }

    /** The JWT bearer assertion: RS256 over {@code iss}, {@code sub}, {@code aud} and an {@code exp} 3 minutes out. */
    private String assertion(JwtBearer j) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", j.clientId());
        claims.put("sub", j.username());
        claims.put("aud", loginUrl);
        claims.put("exp", clock.instant().plusSeconds(180).getEpochSecond());
        String payload = b64.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(j.key());
            signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new SalesforceException("cannot sign the JWT assertion: " + e.getMessage(), 0, null);
        }
    }

    // ---------------------------------------------------------------- REST

    /** One API request (path relative to {@code /services/data/vNN.N/}, or an absolute {@code /services/…} path). */
    private Answer call(String method, String path, String contentType, String body, Map<String, String> headers) {
        if (accessToken == null) {
            signIn();
        }
        boolean refreshed = false;
        for (int attempt = 0; ; attempt++) {
            String url =
                    instanceUrl + (path.startsWith("/services/") ? path : "/services/data/v" + apiVersion + "/" + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + accessToken)
                    .header(
                            "Accept",
                            contentType != null && contentType.equals("text/csv") && body == null
                                    ? "text/csv"
                                    : "application/json");
            headers.forEach(request::header);
            if (body != null) {
                request.header("Content-Type", contentType);
            }
            request.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            calls.incrementAndGet();
            HttpResponse<String> response = send(request);
            response.headers()
                    .firstValue("Sforce-Limit-Info")
                    .map(ApiBudget::parse)
                    .ifPresent(u -> usage = u);
            int status = response.statusCode();
            boolean isCsv =
                    response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv");
            if (status < 300 && (isCsv || response.body().isEmpty() || isJson(response.body()))) {
                return new Answer(status, response.body(), response.headers().map());
            }
            SfError error = firstError(response.body());
            boolean json = isJson(response.body());
            CrmErrors.Handling handling = status < 300
                    ? CrmErrors.Handling.RETRY
                    : CrmErrors.ofRequest(status, error == null ? null : error.code(), json);
            switch (handling) {
                case REFRESH_TOKEN -> {
                    if (refreshed) {
                        throw new SalesforceException(
                                "Salesforce refused the new session: " + describe(error), status, error.code());
                    }
                    refreshed = true;
                    signIn();
                    attempt--;
                }
                case RETRY -> {
                    if (attempt + 1 >= Backoff.MAX_ATTEMPTS) {
                        throw new SalesforceException(
                                "Salesforce kept failing (" + status + "): "
                                        + (error == null ? abbreviate(response.body()) : describe(error)),
                                status,
                                error == null ? null : error.code());
                    }
                    backoff(attempt);
                }
                case STOP -> throw new LimitReached(describe(error));
                case PARK -> {
                    return new Answer(
                            status, response.body(), response.headers().map());
                }
                case FAIL ->
                    throw new SalesforceException(
                            method + " " + path + ": " + (error == null ? "HTTP " + status : describe(error)),
                            status,
                            error == null ? null : error.code());
            }
        }
    }

    private record Answer(int status, String body, Map<String, List<String>> headers) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SalesforceException("Salesforce unreachable: " + e.getMessage(), 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException("interrupted", 0, null);
        }
    }

    private void backoff(int attempt) {
        try {
            pause.pause(Backoff.delay(attempt, random.nextDouble()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException("interrupted", 0, null);
        }
    }

    private Answer get(String path) {
        return call("GET", path, null, null, Map.of());
    }

    private Answer write(String method, String path, Object body, boolean allowDuplicates) {
        return call(
                method,
                path,
                "application/json",
                body == null ? null : JSON.writeValueAsString(body),
                allowDuplicates ? Map.of("Sforce-Duplicate-Rule-Header", "allowSave=true") : Map.of());
    }

    // ---------------------------------------------------------------- queries

    /** The first page of a SOQL query ({@code all}: {@code queryAll}, deleted and merged records included). */
    public QueryPage query(String soql, boolean all) {
        return page(get((all ? "queryAll" : "query") + "?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8)));
    }

    /** Query operations per composite request (Salesforce allows 25 subrequests, at most 5 of them queries). */
    public static final int QUERIES_PER_COMPOSITE = 5;

    /**
     * The first page of each {@code queryAll}, in order, sent as composite requests ({@code POST composite}, five
     * queries each; Salesforce counts a composite request as one API call). A subrequest's error is handled as the
     * same request alone would be: the allocation used up stops ({@link LimitReached}), a request error fails, and
     * what would be retried (a lock, 5xx, 429, a session expired) is sent again alone, with the usual retries.
     */
    public List<QueryPage> firstPages(List<String> soqls) {
        List<QueryPage> pages = new ArrayList<>();
        for (int from = 0; from < soqls.size(); from += QUERIES_PER_COMPOSITE) {
            List<String> chunk = soqls.subList(from, Math.min(soqls.size(), from + QUERIES_PER_COMPOSITE));
            List<Map<String, Object>> subrequests = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                subrequests.add(Map.of(
                        "method",
                        "GET",
                        "url",
                        "/services/data/v" + apiVersion + "/queryAll/?q="
                                + URLEncoder.encode(chunk.get(i), StandardCharsets.UTF_8),
                        "referenceId",
                        "q" + i));
            }
            Map<String, Object> body =
                    map(write("POST", "composite", Map.of("allOrNone", false, "compositeRequest", subrequests), false)
                            .body());
            List<?> results = (List<?>) body.getOrDefault("compositeResponse", List.of());
            if (results.size() != chunk.size()) {
                throw new SalesforceException("composite: " + results.size() + " answers to " + chunk.size(), 0, null);
            }
            for (int i = 0; i < chunk.size(); i++) {
                Map<?, ?> result = (Map<?, ?>) results.get(i);
                int status = ((Number) result.get("httpStatusCode")).intValue();
                String answer = JSON.writeValueAsString(result.get("body"));
                if (status < 300) {
                    pages.add(page(new Answer(status, answer, Map.of())));
                    continue;
                }
                SfError error = firstError(answer);
                switch (CrmErrors.ofRequest(status, error == null ? null : error.code(), isJson(answer))) {
                    case STOP -> throw new LimitReached(describe(error));
                    case FAIL, PARK ->
                        throw new SalesforceException(
                                "queryAll " + chunk.get(i) + ": " + describe(error),
                                status,
                                error == null ? null : error.code());
                    case RETRY, REFRESH_TOKEN -> pages.add(query(chunk.get(i), true));
                }
            }
        }
        return pages;
    }

    /** Every page of a query from its first page on ({@code each} handles a page before the next is fetched). */
    public void eachPage(QueryPage first, Consumer<QueryPage> each) {
        QueryPage page = first;
        each.accept(page);
        while (!page.done() && page.nextRecordsUrl() != null) {
            page = nextPage(page.nextRecordsUrl());
            each.accept(page);
        }
    }

    /** The page at a previous page's {@code nextRecordsUrl}. */
    public QueryPage nextPage(String nextRecordsUrl) {
        return page(get(nextRecordsUrl));
    }

    /** Every page of a query, handed to {@code each} one by one (a page is handled before the next is fetched). */
    public void queryEachPage(String soql, boolean all, Consumer<QueryPage> each) {
        eachPage(query(soql, all), each);
    }

    private QueryPage page(Answer answer) {
        Map<String, Object> body = map(answer.body());
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object r : (List<?>) body.getOrDefault("records", List.of())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) r);
            record.remove("attributes");
            records.add(record);
        }
        return new QueryPage(
                ((Number) body.getOrDefault("totalSize", 0)).intValue(),
                Boolean.TRUE.equals(body.get("done")),
                (String) body.get("nextRecordsUrl"),
                records);
    }

    /** The org's limits ({@code DailyApiRequests} …). */
    public Map<String, Object> limits() {
        return map(get("limits").body());
    }

    // ---------------------------------------------------------------- single records

    /** The record, or empty when Salesforce has no (live) record with that id. */
    public Optional<Map<String, Object>> get(String object, String id) {
        Answer answer;
        try {
            answer = call("GET", "sobjects/" + object + "/" + id, null, null, Map.of());
        } catch (SalesforceException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        if (answer.status() >= 300) {
            return Optional.empty();
        }
        Map<String, Object> record = map(answer.body());
        record.remove("attributes");
        return Optional.of(record);
    }

    public SaveResult create(String object, Map<String, ?> fields, boolean allowDuplicates) {
        Answer answer = write("POST", "sobjects/" + object, fields, allowDuplicates);
        if (answer.status() >= 300) {
            return failure(null, answer);
        }
        Map<String, Object> body = map(answer.body());
        return new SaveResult((String) body.get("id"), true, true, List.of());
    }

    public SaveResult update(String object, String id, Map<String, ?> fields, boolean allowDuplicates) {
        Answer answer = write("PATCH", "sobjects/" + object + "/" + id, fields, allowDuplicates);
        return answer.status() >= 300 ? failure(id, answer) : new SaveResult(id, true, false, List.of());
    }

    /** Upsert by an external id field: creates the record when none has {@code field = value}. */
    public SaveResult upsert(
            String object, String field, String value, Map<String, ?> fields, boolean allowDuplicates) {
        Answer answer = write(
                "PATCH",
                "sobjects/" + object + "/" + field + "/"
                        + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"),
                fields,
                allowDuplicates);
        if (answer.status() >= 300) {
            return failure(null, answer);
        }
        Map<String, Object> body = map(answer.body());
        return new SaveResult((String) body.get("id"), true, Boolean.TRUE.equals(body.get("created")), List.of());
    }

    public SaveResult delete(String object, String id) {
        Answer answer = call("DELETE", "sobjects/" + object + "/" + id, null, null, Map.of());
        return answer.status() >= 300 ? failure(id, answer) : new SaveResult(id, true, false, List.of());
    }

    private static SaveResult failure(String id, Answer answer) {
        return new SaveResult(id, false, false, errors(answer.body()));
    }

    // ---------------------------------------------------------------- collections

    /**
     * Create records with composite sObject collections, 200 per call. Each record names its object
     * ({@code attributes.type} is set from {@code object}). Records failing with a lock error are sent again after a
     * backoff; the result is one {@link SaveResult} per record, in order.
     */
    public List<SaveResult> createAll(
            String object, List<Map<String, Object>> records, boolean allOrNone, boolean allowDuplicates) {
        List<Map<String, Object>> typed = new ArrayList<>();
        for (Map<String, Object> r : records) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("attributes", Map.of("type", object));
            copy.putAll(r);
            typed.add(copy);
        }
        return collection("POST", typed, allOrNone, allowDuplicates);
    }

    /** Update records (each with its {@code Id}) with composite sObject collections, 200 per call. */
    public List<SaveResult> updateAll(
            String object, List<Map<String, Object>> records, boolean allOrNone, boolean allowDuplicates) {
        List<Map<String, Object>> typed = new ArrayList<>();
        for (Map<String, Object> r : records) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("attributes", Map.of("type", object));
            copy.putAll(r);
            typed.add(copy);
        }
        return collection("PATCH", typed, allOrNone, allowDuplicates);
    }

    private List<SaveResult> collection(
            String method, List<Map<String, Object>> records, boolean allOrNone, boolean allowDuplicates) {
        SaveResult[] results = new SaveResult[records.size()];
        for (int from = 0; from < records.size(); from += COLLECTION_SIZE) {
            List<Integer> pending = new ArrayList<>();
            for (int i = from; i < Math.min(records.size(), from + COLLECTION_SIZE); i++) {
                pending.add(i);
            }
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                List<Map<String, Object>> chunk =
                        pending.stream().map(records::get).toList();
                Answer answer = write(
                        method,
                        "composite/sobjects",
                        Map.of("allOrNone", allOrNone, "records", chunk),
                        allowDuplicates);
                List<Map<String, Object>> answers = JSON.readValue(answer.body(), new TypeReference<>() {});
                List<Integer> locked = new ArrayList<>();
                for (int k = 0; k < pending.size(); k++) {
                    SaveResult r = saveResult(answers.get(k));
                    results[pending.get(k)] = r;
                    if (!r.success()
                            && r.error()
                                    .map(e -> CrmErrors.ofRecord(e.code()) == CrmErrors.Handling.RETRY)
                                    .orElse(false)) {
                        locked.add(pending.get(k));
                    }
                }
                if (locked.isEmpty() || attempt + 1 >= Backoff.MAX_ATTEMPTS) {
                    break;
                }
                // with allOrNone a lock error rolled the whole chunk back: send it all again
                pending = allOrNone ? pending : locked;
                backoff(attempt);
            }
        }
        return List.of(results);
    }

    private static SaveResult saveResult(Map<String, Object> r) {
        List<SfError> errors = new ArrayList<>();
        for (Object e : (List<?>) r.getOrDefault("errors", List.of())) {
            Map<?, ?> m = (Map<?, ?>) e;
            Object code = m.get("statusCode") != null ? m.get("statusCode") : m.get("errorCode");
            errors.add(new SfError(String.valueOf(code), String.valueOf(m.get("message")), fields(m.get("fields"))));
        }
        return new SaveResult(
                (String) r.get("id"),
                Boolean.TRUE.equals(r.get("success")),
                Boolean.TRUE.equals(r.get("created")),
                errors);
    }

    // ---------------------------------------------------------------- deleted

    /** Records of {@code object} deleted between {@code start} and {@code end} (within Salesforce's 15 days). */
    public Deleted deleted(String object, Instant start, Instant end) {
        Map<String, Object> body = map(get("sobjects/" + object + "/deleted/?start="
                        + URLEncoder.encode(REST_DATE_TIME.format(start), StandardCharsets.UTF_8) + "&end="
                        + URLEncoder.encode(REST_DATE_TIME.format(end), StandardCharsets.UTF_8))
                .body());
        List<String> ids = new ArrayList<>();
        Map<String, Instant> at = new LinkedHashMap<>();
        for (Object d : (List<?>) body.getOrDefault("deletedRecords", List.of())) {
            Map<?, ?> m = (Map<?, ?>) d;
            ids.add((String) m.get("id"));
            at.put((String) m.get("id"), SalesforceTimes.parse((String) m.get("deletedDate")));
        }
        return new Deleted(
                ids,
                at,
                SalesforceTimes.parse((String) body.get("earliestDateAvailable")),
                SalesforceTimes.parse((String) body.get("latestDateCovered")));
    }

    // ---------------------------------------------------------------- Bulk API 2.0

    /** Run a Bulk API 2.0 ingest job ({@code insert}, {@code update}, {@code upsert}, {@code delete}) to its end. */
    public BulkResult bulkIngest(
            String object, String operation, String externalIdField, List<? extends Map<String, ?>> rows) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("object", object);
        job.put("operation", operation);
        if (externalIdField != null) {
            job.put("externalIdFieldName", externalIdField);
        }
        job.put("contentType", "CSV");
        job.put("lineEnding", "LF");
        String id =
                (String) map(write("POST", "jobs/ingest", job, false).body()).get("id");
        call("PUT", "jobs/ingest/" + id + "/batches", "text/csv", BulkCsv.write(rows), Map.of());
        write("PATCH", "jobs/ingest/" + id, Map.of("state", "UploadComplete"), false);
        awaitJob("jobs/ingest/" + id);
        return new BulkResult(
                id,
                BulkCsv.read(csv("jobs/ingest/" + id + "/successfulResults").body()),
                BulkCsv.read(csv("jobs/ingest/" + id + "/failedResults").body()));
    }

    /** Run a Bulk API 2.0 query job and hand its rows (all values as text) to {@code each}, one result page at a time. */
    public void bulkQuery(String soql, int pageSize, Consumer<List<Map<String, String>>> each) {
        String id = (String) map(write("POST", "jobs/query", Map.of("operation", "queryAll", "query", soql), false)
                        .body())
                .get("id");
        awaitJob("jobs/query/" + id);
        String locator = null;
        do {
            Answer page = csv("jobs/query/" + id + "/results?maxRecords=" + pageSize
                    + (locator == null ? "" : "&locator=" + URLEncoder.encode(locator, StandardCharsets.UTF_8)));
            each.accept(BulkCsv.read(page.body()));
            locator = page.header("Sforce-Locator");
        } while (locator != null && !locator.equals("null"));
    }

    /**
     * A Bulk API 2.0 query job's result pages as query pages ({@code totalSize} -1, no {@code nextRecordsUrl}), with
     * the values typed as a REST answer has them: a blank cell is null, {@code true}/{@code false} of an {@code Is…} or
     * {@code Has…} field a checkbox, the standard number fields numbers, date-times as {@code …+0000}.
     */
    public void bulkQueryPages(String soql, int pageSize, Consumer<QueryPage> each) {
        bulkQuery(
                soql,
                pageSize,
                rows -> each.accept(new QueryPage(
                        -1,
                        false,
                        null,
                        rows.stream().map(SalesforceClient::typed).toList())));
    }

    /** The standard number fields the connector reads (Bulk API CSV has no types). */
    private static final Set<String> NUMBER_FIELDS =
            Set.of("NumberOfEmployees", "Amount", "Probability", "ActualCost", "BudgetedCost", "AnnualRevenue");

    static Map<String, Object> typed(Map<String, String> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((field, value) -> {
            Object typed = value;
            if (value == null || value.isEmpty()) {
                typed = null;
            } else if (field.matches("(Is|Has)[A-Z]\\w*") && (value.equals("true") || value.equals("false"))) {
                typed = Boolean.valueOf(value);
            } else if (NUMBER_FIELDS.contains(field)) {
                typed = JSON.readValue(value, Object.class);
            } else if (value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z")) {
                typed = value.substring(0, value.length() - 1) + "+0000";
            }
            out.put(field, typed);
        });
        return out;
    }

    private Answer csv(String path) {
        return call("GET", path, "text/csv", null, Map.of());
    }

    private void awaitJob(String path) {
        for (int attempt = 0; ; attempt++) {
            Map<String, Object> info = map(get(path).body());
            String state = String.valueOf(info.get("state"));
            switch (state) {
                case "JobComplete" -> {
                    return;
                }
                case "Failed", "Aborted" ->
                    throw new SalesforceException(
                            "Bulk job " + path + " " + state + ": " + info.get("errorMessage"), 200, state);
                default -> backoff(Math.min(attempt, 4));
            }
        }
    }

    // ---------------------------------------------------------------- JSON

    private static Map<String, Object> map(String body) {
        return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    private static Optional<Map<String, Object>> json(String body) {
        try {
            return Optional.of(map(body));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static boolean isJson(String body) {
        try {
            JSON.readTree(body);
            return !body.isBlank();
        } catch (JacksonException e) {
            return false;
        }
    }

    private static List<SfError> errors(String body) {
        List<SfError> out = new ArrayList<>();
        try {
            for (Map<String, Object> e : JSON.readValue(body, new TypeReference<List<Map<String, Object>>>() {})) {
                out.add(new SfError(
                        String.valueOf(e.get("errorCode")), String.valueOf(e.get("message")), fields(e.get("fields"))));
            }
        } catch (JacksonException e) {
            out.add(new SfError(null, abbreviate(body), List.of()));
        }
        return out;
    }

    private static SfError firstError(String body) {
        if (!isJson(body) || !body.trim().startsWith("[")) {
            return null;
        }
        List<SfError> all = errors(body);
        return all.isEmpty() ? null : all.getFirst();
    }

    private static List<String> fields(Object fields) {
        if (!(fields instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static String describe(SfError error) {
        return error == null ? "(no error body)" : error.code() + ": " + error.message();
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
