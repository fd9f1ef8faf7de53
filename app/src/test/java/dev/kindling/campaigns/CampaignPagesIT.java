package dev.kindling.campaigns;

import static dev.kindling.support.UiSession.created;
import static dev.kindling.support.UiSession.figure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class CampaignPagesIT {

    static final String ADMIN = "admin@kindling.local";

    @LocalServerPort
    int port;

    TestApi api;
    UiSession ui;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        ui = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD);
        ui.open("/campaigns");
    }

    @Test
    void aMarketerCreatesACampaignWithACostAndAParentAndSeesItListed() {
        String parentName = "Parent " + UUID.randomUUID();
        long parent =
                created(ui.postForm("/campaigns", "name=" + UiSession.encode(parentName) + "&channel=EVENT&cost=0"));
        String name = "Expo " + UUID.randomUUID();

        long id = created(ui.postForm(
                "/campaigns",
                "name=" + UiSession.encode(name)
                        + "&channel=WEBINAR&cost=" + UiSession.encode("12,500.50")
                        + "&startDate=2026-03-01&endDate=2026-03-31"
                        + "&parentId=" + parent));

        var page = ui.open("/campaigns/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains(name)
                .contains("12,500.50")
                .contains("Webinar")
                .contains("href=\"/reports/attribution?campaign=" + id + "\"");
        var stored = api.get("/api/v1/campaigns/" + id).json();
        assertThat(stored.get("cost").decimalValue()).isEqualByComparingTo("12500.50");
        assertThat(stored.get("parentId").asLong()).isEqualTo(parent);
        assertThat(ui.open("/campaigns/" + parent).body())
                .contains("id=\"children\"")
                .contains(name);
        assertThat(ui.open("/campaigns").body()).contains(name).contains(parentName);
    }

    @Test
    void invalidInputIsShownNextToItsFieldsAndNothingIsStored() {
        String name = "Broken " + UUID.randomUUID();
        var response = ui.postForm(
                "/campaigns",
                "name=" + UiSession.encode(name) + "&channel=EMAIL&cost=-5&startDate=2026-03-10&endDate=2026-03-01");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body())
                .containsPattern("id=\"cost-error\"[^>]*>[^<]*must be between 0")
                .containsPattern("id=\"endDate-error\"[^>]*>must not be before startDate")
                .contains("aria-invalid=\"true\"");
        assertThat(api.get("/api/v1/campaigns").body()).doesNotContain(name);
    }

    @Test
    void aCampaignCannotBecomeItsOwnAncestor() {
        long a = created(ui.postForm("/campaigns", "name=A" + UUID.randomUUID() + "&channel=ADS"));
        long b = created(ui.postForm("/campaigns", "name=B" + UUID.randomUUID() + "&channel=ADS&parentId=" + a));

        var response = ui.postForm("/campaigns/" + a, "name=A&channel=ADS&parentId=" + b);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).containsPattern("id=\"parentId-error\"[^>]*>must not be the campaign itself");
        assertThat(api.get("/api/v1/campaigns/" + a).json().get("parentId").isNull())
                .isTrue();
    }

    @Test
    void theCampaignPageCountsTheProspectsAcquiredAndTheActivitiesItTouched() {
        long id = created(ui.postForm("/campaigns", "name=Touch" + UUID.randomUUID() + "&channel=EMAIL&cost=100"));
        var prospect = api.post("/api/v1/prospects", """
                {"email":"acq-%s@campaign.example","firstName":"<script>alert(1)</script>"}""".formatted(UUID.randomUUID()));
        long prospectId = prospect.json().get("id").asLong();
        var accepted = api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s","prospectId":%d,"type":"EMAIL_CLICK","occurredAt":"%s","campaignId":%d}]}""".formatted(
                        UUID.randomUUID(), prospectId, Instant.now().minusSeconds(60), id));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);

        String page = ui.open("/campaigns/" + id).body();

        assertThat(figure(page, "fig-activities")).isEqualTo("1");
        assertThat(figure(page, "fig-touched")).isEqualTo("1");
        assertThat(page).doesNotContain("<script>alert(1)</script>");
    }

    @Test
    void aCampaignNothingRefersToCanBeDeletedAndOneInUseStays() {
        long unused = created(ui.postForm("/campaigns", "name=Gone" + UUID.randomUUID() + "&channel=OTHER"));
        long used = created(ui.postForm("/campaigns", "name=Used" + UUID.randomUUID() + "&channel=OTHER"));
        created(ui.postForm("/campaigns", "name=Child" + UUID.randomUUID() + "&channel=OTHER&parentId=" + used));

        assertThat(ui.postForm("/campaigns/" + unused + "/delete", "").status()).isEqualTo(302);
        assertThat(api.get("/api/v1/campaigns/" + unused).status()).isEqualTo(404);
        var refused = ui.postForm("/campaigns/" + used + "/delete", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("is in use");
        assertThat(api.get("/api/v1/campaigns/" + used).status()).isEqualTo(200);
    }

    /**
     * Activities name their campaign without a foreign key (V745: the accept locks the campaigns it names), yet a
     * campaign only an activity names stays in use, as with the foreign key; one the accept cannot find is refused.
     */
    @Test
    void aCampaignOnlyAnActivityNamesStaysInUse() {
        long id = created(ui.postForm("/campaigns", "name=Touched" + UUID.randomUUID() + "&channel=EMAIL"));
        long prospectId = api.post("/api/v1/prospects", """
                        {"email":"touched-%s@campaign.example"}""".formatted(UUID.randomUUID()))
                .json()
                .get("id")
                .asLong();
        var accepted = api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s","prospectId":%d,"type":"EMAIL_CLICK","occurredAt":"%s","campaignId":%d}]}""".formatted(
                        UUID.randomUUID(), prospectId, Instant.now().minusSeconds(60), id));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);

        var refused = ui.postForm("/campaigns/" + id + "/delete", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("is in use");
        assertThat(api.get("/api/v1/campaigns/" + id).status()).isEqualTo(200);

        long gone = created(ui.postForm("/campaigns", "name=Gone" + UUID.randomUUID() + "&channel=EMAIL"));
        assertThat(ui.postForm("/campaigns/" + gone + "/delete", "").status()).isEqualTo(302);
        var unknown = api.post("/api/v1/activities", """
                {"activities":[{"externalId":"%s","email":"gone-%s@campaign.example","type":"EMAIL_CLICK","occurredAt":"%s","campaignId":%d}]}""".formatted(
                        UUID.randomUUID(), UUID.randomUUID(), Instant.now().minusSeconds(60), gone));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.body()).contains("names no campaign");
    }

    @Test
    void salesUsersReadCampaignsButMayNotChangeThem() {
        var user = api.user("SALES", "sales-password-123456");
        UiSession sales = UiSession.signedIn(port, user.email(), "sales-password-123456");
        long id = created(ui.postForm("/campaigns", "name=Read" + UUID.randomUUID() + "&channel=OTHER"));

        var page = sales.open("/campaigns/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"campaign-form\"");
        assertThat(sales.postForm("/campaigns", "name=Nope&channel=OTHER").status())
                .isEqualTo(403);
        assertThat(sales.postForm("/campaigns/" + id + "/delete", "").status()).isEqualTo(403);
    }
}
