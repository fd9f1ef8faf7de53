package dev.kindling.bench.rules;

import dev.kindling.bench.harness.ApiClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A handful of realistic automation rules to put in W1's path: created through the API and resumed (their
 * retroactive run is setup). Conditions mix activity counts with windows, fields, score and a time-relative leaf;
 * actions adjust scores (through the ledger) and set a flag. The N-th rule uses template N mod
 * {@value #TEMPLATES}, so any N is valid.
 */
public final class RuleSet {

    static final int TEMPLATES = 5;

    private static final List<String> RULES = List.of("""
            {"name": "Repeat email clickers %d",
             "condition": {"all": [{"activity": {"type": "EMAIL_CLICK", "atLeast": 2, "withinDays": 30}},
                                   {"score": {"gte": 20}}]},
             "actions": [{"type": "adjustScore", "points": 10}]}""", """
            {"name": "Software pricing readers %d",
             "condition": {"all": [{"field": "industry", "op": "in", "value": ["Software", "IT Services"]},
                                   {"activity": {"type": "PAGE_VIEW", "urlContains": "pricing", "withinDays": 30}}]},
             "actions": [{"type": "adjustScore", "points": 15}]}""", """
            {"name": "Unsubscribed %d",
             "condition": {"activity": {"type": "UNSUBSCRIBE"}},
             "actions": [{"type": "setDoNotEmail", "value": true}]}""", """
            {"name": "Large company form fills %d",
             "condition": {"all": [{"activity": {"type": "FORM_SUBMIT", "withinDays": 365}},
                                   {"field": "employees", "op": "gte", "value": 500}]},
             "actions": [{"type": "adjustScore", "points": 25}],
             "repeat": {"daysBeforeEligible": 30, "maxMatches": 3}}""", """
            {"name": "Quiet for 90 days %d",
             "condition": {"daysSinceLastActivity": {"gte": 90}},
             "actions": [{"type": "adjustScore", "points": -10}]}""");

    private RuleSet() {}

    /** Creates {@code n} rules and resumes each; answers their ids. */
    public static List<Long> install(ApiClient api, int n) throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = ApiClient.number(
                    api.call(
                            "POST",
                            "/api/v1/automation-rules",
                            RULES.get(i % TEMPLATES).formatted(i + 1),
                            201),
                    "id");
            api.call("POST", "/api/v1/automation-rules/" + id + "/resume", null, 200);
            ids.add(id);
        }
        return ids;
    }
}
