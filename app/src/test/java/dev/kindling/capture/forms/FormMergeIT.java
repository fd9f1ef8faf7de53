package dev.kindling.capture.forms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A browser already known as one prospect submitting a form as another: the two are one person and are merged. */
@IntegrationTest
class FormMergeIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi api;
    String run;
    String key;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        rateLimits.reset();
        run = UUID.randomUUID().toString().substring(0, 8);
        key = "merge-" + run;
        TestApi.Response form = api.post("/api/v1/forms", """
                {"key":"%s","name":"Merge %s","fieldMapping":{"email":"email","first":"firstName"},
                 "successUrl":"https://www.example.com/thanks","completionActions":[]}""".formatted(key, run));
        assertThat(form.status()).as(form.body()).isEqualTo(201);
    }

    @Test
    void aVisitorLinkedToOneProspectSubmittingAsANewAddressMergesTheNewProspectIntoTheOlderOne() {
        String visitor = "visitor-" + run + "-forms";
        submit("work-" + run + "@acme-" + run + ".example", "Ada", visitor);
        long first = id("work-" + run + "@acme-" + run + ".example");

        submit("home-" + run + "@mail-" + run + ".example", "Ada", visitor);

        assertThat(count("SELECT count(*) FROM prospect WHERE email LIKE ?", "%-" + run + "@%"))
                .isEqualTo(1);
        assertThat(id("home-" + run + "@mail-" + run + ".example"))
                .as("the older survives with the newest address")
                .isEqualTo(first);
        assertThat(count("SELECT count(*) FROM prospect_merged WHERE survivor_id = ? AND automatic", first))
                .isEqualTo(1);
        assertThat(count("SELECT prospect_id FROM visitor WHERE id = ?", visitor))
                .isEqualTo(first);
        IntakeProgress.awaitDrained(api);
        assertThat(count("SELECT count(*) FROM activity WHERE prospect_id = ? AND type = 'FORM_SUBMIT'", first))
                .isEqualTo(2);
        // the first address still finds the same person
        submit("work-" + run + "@acme-" + run + ".example", "Ada", visitor);
        assertThat(count("SELECT count(*) FROM prospect WHERE email LIKE ?", "%-" + run + "@%"))
                .isEqualTo(1);
    }

    @Test
    void theOlderProspectSurvivesAlsoWhenTheVisitorWasLinkedToTheNewerOne() {
        long older = created("older-" + run + "@acme-" + run + ".example");
        long newer = created("newer-" + run + "@acme-" + run + ".example");
        String visitor = "visitor-" + run + "-newer";
        submit("newer-" + run + "@acme-" + run + ".example", "Grace", visitor);

        submit("older-" + run + "@acme-" + run + ".example", "Grace", visitor);

        assertThat(count("SELECT count(*) FROM prospect WHERE id = ?", newer)).isZero();
        assertThat(count("SELECT survivor_id FROM prospect_merged WHERE loser_id = ?", newer))
                .isEqualTo(older);
        assertThat(count("SELECT prospect_id FROM visitor WHERE id = ?", visitor))
                .isEqualTo(older);
    }

    @Test
    void twoContactsOfOpportunitiesAreNotMergedAutomaticallyAndTheVisitorMovesToTheNewOne() {
        long one = created("one-" + run + "@acme-" + run + ".example");
        long two = created("two-" + run + "@acme-" + run + ".example");
        contactOnADeal(one);
        contactOnADeal(two);
        String visitor = "visitor-" + run + "-apart";
        submit("one-" + run + "@acme-" + run + ".example", "Kim", visitor);

        submit("two-" + run + "@acme-" + run + ".example", "Lee", visitor);

        assertThat(count("SELECT count(*) FROM prospect WHERE id IN (?, ?)", one, two))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM prospect_merged WHERE survivor_id IN (?, ?)", one, two))
                .isZero();
        assertThat(count("SELECT prospect_id FROM visitor WHERE id = ?", visitor))
                .isEqualTo(two);
    }

    void submit(String email, String first, String visitor) {
        TestApi.Response r = api.send(new TestApi(port, null)
                .request("/f/" + key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", FormCaptureIT.BROWSER)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "email=" + email + "&first=" + first + "&kindling_visitor=" + visitor))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(303);
    }

    long created(String email) {
        return api.newProspect("{\"email\":\"" + email + "\"}");
    }

    void contactOnADeal(long prospect) {
        Timestamp at = Timestamp.from(Instant.now());
        long deal = jdbc.sql("INSERT INTO opportunity (name, currency, stage, created_at, updated_at)"
                        + " VALUES (?, 'USD', 'Discovery', ?, ?) RETURNING id")
                .param("Deal " + run)
                .param(at)
                .param(at)
                .query(Long.class)
                .single();
        jdbc.sql(
                        "INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, created_at) VALUES (?, ?, 'OTHER', ?)")
                .param(deal)
                .param(prospect)
                .param(at)
                .update();
    }

    long id(String email) {
        return count("SELECT id FROM prospect WHERE email = ?", email);
    }

    long count(String sql, Object... params) {
        var statement = jdbc.sql(sql);
        for (Object p : params) {
            statement = statement.param(p);
        }
        return statement.query(Long.class).single();
    }
}
