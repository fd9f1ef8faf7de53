package dev.kindling.bench.rescore;

import dev.kindling.bench.harness.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls of the public API the rescoring workload needs: find a rule, change its points, preview and apply a
 * rescore. Just enough JSON reading for these answers, so the bench needs no JSON library.
 */
final class RescoreClient {

    /** What {@code /api/v1/scoring/rescore[/preview]} answers: prospects examined and changed. */
    record Summary(long prospects, long changed, String body) {}

    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*}");

    private final ApiClient api;

    RescoreClient(URI baseUri, String apiKey, Duration timeout) {
        this.api = new ApiClient(baseUri, apiKey, timeout);
    }

    /** The id of the rule for every page view: type PAGE_VIEW without a URL pattern or other filter. */
    long pageViewRule() throws IOException, InterruptedException {
        String rules = call("GET", "/api/v1/scoring-rules", null, 200);
        return plainRuleOf(rules, "PAGE_VIEW");
    }

    /** In a {@code GET /api/v1/scoring-rules} answer, the id of the unfiltered rule of {@code type}. */
    static long plainRuleOf(String rulesJson, String type) {
        Matcher objects = OBJECT.matcher(rulesJson);
        while (objects.find()) {
            String rule = objects.group();
            if (rule.contains("\"activityType\":\"" + type + "\"")
                    && !hasText(rule, "urlPattern")
                    && !hasText(rule, "formName")
                    && !hasText(rule, "assetName")
                    && !hasText(rule, "emailId")
                    && !hasText(rule, "customName")
                    && !rule.matches("(?s).*\"campaignId\"\\s*:\\s*\\d.*")) {
                return ApiClient.number(rule, "id");
            }
        }
        throw new IllegalStateException("no plain " + type + " rule in " + ApiClient.abbreviate(rulesJson));
    }

    void setPoints(long ruleId, int points) throws IOException, InterruptedException {
        call("PATCH", "/api/v1/scoring-rules/" + ruleId, "{\"points\":" + points + "}", 200);
    }

    Summary preview() throws IOException, InterruptedException {
        return summary(call("POST", "/api/v1/scoring/rescore/preview", "", 200));
    }

    Summary apply() throws IOException, InterruptedException {
        return summary(call("POST", "/api/v1/scoring/rescore", "", 200));
    }

    static Summary summary(String json) {
        return new Summary(ApiClient.number(json, "prospects"), ApiClient.number(json, "changed"), json);
    }

    private String call(String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        return api.call(method, path, body, expected);
    }

    private static boolean hasText(String object, String field) {
        return object.matches("(?s).*\"" + field + "\"\\s*:\\s*\".*");
    }
}
