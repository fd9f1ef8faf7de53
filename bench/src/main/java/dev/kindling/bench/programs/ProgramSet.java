package dev.kindling.bench.programs;

import dev.kindling.bench.harness.ApiClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The running programs of W1's realistic configuration: each fed by one of the installed dynamic lists (so list joins
 * enroll), waiting at a trigger "up to 14 days" (an email click, a page view of pricing, a form submission or an
 * email open, by turns) that intake activities move on, then adjusting the score. Created and started through the
 * API; their first enrollment is setup.
 */
public final class ProgramSet {

    static final int TEMPLATES = 4;

    private static final List<String> TRIGGERS = List.of(
            "{\"type\": \"emailClicked\"}",
            "{\"type\": \"pageViewed\", \"urlPattern\": \"pricing\"}",
            "{\"type\": \"formSubmitted\"}",
            "{\"type\": \"emailOpened\"}");

    private ProgramSet() {}

    /**
     * Creates and starts {@code n} programs, the i-th with the (i mod lists)-th of {@code listIds} as its recipient
     * list (none when there are no lists); answers their ids.
     */
    public static List<Long> install(ApiClient api, int n, List<Long> listIds)
            throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String recipients = listIds.isEmpty() ? "[]" : "[" + listIds.get(i % listIds.size()) + "]";
            String body = """
                    {"name": "Bench program %d", "start": "trigger", "recipientListIds": %s,
                     "steps": [
                       {"id": "trigger", "type": "TRIGGER", "event": %s, "timing": "UP_TO", "days": 14,
                        "yes": "points", "no": "end"},
                       {"id": "points", "type": "ACTION", "action": {"type": "adjustScore", "points": 5}, "next": "end"},
                       {"id": "end", "type": "END"}]}""".formatted(i + 1, recipients, TRIGGERS.get(i % TEMPLATES));
            long id = ApiClient.number(api.call("POST", "/api/v1/programs", body, 201), "id");
            api.call("POST", "/api/v1/programs/" + id + "/start", null, 200);
            ids.add(id);
        }
        return ids;
    }
}
