package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A known closed-loop cohort, made through the API: 30 prospects captured 40 minutes apart from {@code start} (by
 * their first, back-dated activity), all on {@code start}'s UTC day, in order:
 * <pre>
 * buyers   0..9   the "Demo TAG" form and the /pricing-TAG page; industry "Banking TAG"; 0..7 won, 8..9 lost
 * browsers 10..29 the /blog-TAG page; 10, 11 won, 12..15 lost, the rest no opportunity; 28, 29 also downloaded
 *                 "Rare TAG" (an action of 2 prospects: pooled at minProspects 5)
 * </pre>
 * Opportunities are created (and closed) now, after every activity: all of them count. Each opportunity has the
 * prospect as its one contact role.
 */
final class ClosedLoopDataset {

    final String tag = UUID.randomUUID().toString().substring(0, 8);
    final Instant start;
    final List<Long> ids = new ArrayList<>();
    private final TestApi api;

    ClosedLoopDataset(TestApi api, Instant start) {
        this.api = api;
        this.start = start.truncatedTo(ChronoUnit.DAYS);
    }

    String demoForm() {
        return "Demo " + tag;
    }

    String email(int i) {
        return "cl" + i + "-" + tag + "@closed-loop.example";
    }

    ClosedLoopDataset create() {
        StringBuilder activities = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            Instant at = start.plus(40L * i, ChronoUnit.MINUTES);
            if (i < 10) {
                activity(activities, i, 1, "FORM_SUBMIT", at, "\"formName\":\"" + demoForm() + "\"");
                activity(
                        activities,
                        i,
                        2,
                        "PAGE_VIEW",
                        at.plusSeconds(60),
                        "\"url\":\"https://site.example/pricing-" + tag + "/?utm=x\"");
            } else {
                activity(activities, i, 1, "PAGE_VIEW", at, "\"url\":\"https://site.example/blog-" + tag + "\"");
            }
            if (i >= 28) {
                activity(activities, i, 3, "FILE_DOWNLOAD", at.plusSeconds(120), "\"assetName\":\"Rare " + tag + "\"");
            }
        }
        IntakeProgress.ingest(api, "{\"activities\":[" + activities + "]}");
        for (int i = 0; i < 30; i++) {
            String fields = i < 10 ? ",\"industry\":\"Banking " + tag + "\"" : "";
            TestApi.Response p = api.post("/api/v1/prospects", "{\"email\":\"" + email(i) + "\"" + fields + "}");
            assertThat(p.status()).as(p.body()).isIn(200, 201);
            ids.add(p.json().get("id").asLong());
        }
        for (int i = 0; i < 16; i++) {
            long id = TestApi.created(
                    api.post("/api/v1/opportunities", """
                    {"name":"CL %s %d","amount":%d,"stage":"Discovery",
                     "contactRoles":[{"prospectId":%d,"role":"DECISION_MAKER","primary":true}]}""".formatted(tag, i, 1000 * (i + 1), ids.get(i))));
            boolean won = i < 8 || i == 10 || i == 11;
            TestApi.Response closed = won
                    ? api.post("/api/v1/opportunities/" + id + "/won", "")
                    : api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"COMPETITOR\"}");
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        }
        IntakeProgress.awaitDrained(api);
        return this;
    }

    private void activity(StringBuilder out, int i, int n, String type, Instant at, String properties) {
        if (!out.isEmpty()) {
            out.append(',');
        }
        out.append("""
                {"externalId":"cl-%s-%d-%d","email":"%s","type":"%s","occurredAt":"%s","properties":{%s}}""".formatted(tag, i, n, email(i), type, at, properties));
    }

    /** The capture period as query parameters: the cohort's one day. */
    String period() {
        String day = start.toString().substring(0, 10);
        return "from=" + day + "&to=" + day;
    }
}
