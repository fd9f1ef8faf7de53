package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Opportunity activities move the funnel, so only a sales system (ADMIN, INSIDE_SALES, SALES key) records them. */
@IntegrationTest
class SalesActivitiesIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestApi admin;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
    }

    private TestApi keyFor(String role) {
        return admin.keyOf(admin.user(role, null).id());
    }

    /** A batch of a page view and then {@code type}, for a new email each. */
    private static String batch(String run, String type) {
        return """
                {"activities":[
                  {"externalId":"pv-%1$s","email":"pv-%1$s@acts.example","type":"PAGE_VIEW","occurredAt":"%2$s"},
                  {"externalId":"opp-%1$s","email":"opp-%1$s@acts.example","type":"%3$s","occurredAt":"%2$s"}]}""".formatted(run, Instant.now().minusSeconds(60), type);
    }

    private long stored(String run) {
        return jdbc.sql("SELECT count(*) FROM activity WHERE external_id IN (:a, :b)")
                .param("a", "pv-" + run)
                .param("b", "opp-" + run)
                .query(Long.class)
                .single();
    }

    @Test
    void aMarketingKeyCannotRecordOpportunityActivitiesAndNothingOfItsBatchIsStored() {
        TestApi marketing = keyFor("MARKETING");
        for (String type : new String[] {"OPPORTUNITY_CREATED", "OPPORTUNITY_WON", "OPPORTUNITY_LOST"}) {
            String run = UUID.randomUUID().toString();
            var refused = marketing.post("/api/v1/activities", batch(run, type));
            assertThat(refused.status()).as(type).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asString()).contains(type);
            assertThat(stored(run)).as(type).isZero();
            assertThat(admin.prospectsByEmail("pv-" + run + "@acts.example")).isEmpty();
        }
        String run = UUID.randomUUID().toString();
        assertThat(marketing
                        .post("/api/v1/activities", batch(run, "FORM_SUBMIT"))
                        .status())
                .as("its other activities are welcome")
                .isEqualTo(202);
        assertThat(stored(run)).isEqualTo(2);
    }

    @Test
    void aViewerKeyRecordsNoActivitiesAtAll() {
        String run = UUID.randomUUID().toString();
        assertThat(keyFor("VIEWER")
                        .post("/api/v1/activities", batch(run, "OPPORTUNITY_WON"))
                        .status())
                .isEqualTo(403);
        assertThat(stored(run)).isZero();
    }

    @Test
    void salesAndAdminKeysRecordOpportunityActivities() {
        for (TestApi caller : new TestApi[] {admin, keyFor("SALES"), keyFor("INSIDE_SALES")}) {
            String run = UUID.randomUUID().toString();
            var accepted = caller.post("/api/v1/activities", batch(run, "OPPORTUNITY_WON"));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            assertThat(stored(run)).isEqualTo(2);
        }
    }
}
