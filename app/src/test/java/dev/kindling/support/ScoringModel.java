package dev.kindling.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;

/**
 * The scoring settings a test of the inactivity decay works under: the 90-day reset alone, without the default
 * model's 30-day half-life (docs/scoring.md, "The default model"). For tests on a database of their own
 * ({@link MovingClockTest}), where changing the one settings row touches no other test.
 */
public final class ScoringModel {

    private ScoringModel() {}

    public static void inactivityResetOnly(TestApi api) {
        TestApi.Response put = api.send(api.request("/api/v1/scoring-settings")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"inactivityDays":90,"inactivityAction":"SET_TO_ZERO","subtractPoints":0,"halfLifeDays":null,
                         "floor":0}"""))
                .build());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }
}
