package dev.kindling.bench.lists;

import dev.kindling.bench.harness.ApiClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A handful of realistic dynamic lists to put in W1's path, created through the API (their first rebuild is setup):
 * score, field plus recent activity, any-time activity, "no activity in 90 days" (time-relative) and W4's list. The
 * N-th list uses template N mod {@value #TEMPLATES}, so any N is valid.
 */
public final class ListSet {

    static final int TEMPLATES = 5;

    private static final List<String> CONDITIONS = List.of(
            "{\"score\": {\"gte\": 50}}",
            "{\"all\": [{\"field\": \"country\", \"op\": \"eq\", \"value\": \"JP\"},"
                    + " {\"activity\": {\"type\": \"EMAIL_OPEN\", \"withinDays\": 30}}]}",
            "{\"activity\": {\"type\": \"WEBINAR_ATTENDED\"}}",
            "{\"noActivity\": {\"withinDays\": 90}}",
            ListWorkload.CREATED.json());

    private ListSet() {}

    /** Creates {@code n} dynamic lists; answers their ids. */
    public static List<Long> install(ApiClient api, int n) throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"name\": \"Bench list " + (i + 1) + "\", \"kind\": \"DYNAMIC\", \"condition\": "
                    + CONDITIONS.get(i % TEMPLATES) + "}";
            ids.add(ApiClient.number(api.call("POST", "/api/v1/lists", body, 201), "id"));
        }
        return ids;
    }
}
