package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.prospects.Prospects;
import dev.kindling.salesforce.SalesforceSettings.Auth;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import dev.kindling.salesforce.SalesforceSettings.Source;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A campaign born in Kindling linked to Salesforce (the link step, {@link CampaignLinks}), against the fake Salesforce,
 * in the moved-clock context the other Salesforce ITs share: linked to an existing Campaign, its earlier touches of
 * synced prospects become CampaignMembers in the next cycle; created, the Campaign exists with the campaign's name
 * and cost, then the members; refusals are 4xx with nothing stored; an error of the creation is parked with
 * Salesforce's message and created by a retry.
 */
@MovingClockTest
class SalesforceCampaignLinkIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    SalesforceSettings settings;

    @Autowired
    SalesforceConnector connector;

    @Autowired
    Prospects prospects;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.kindling.intake.ImmediateIntake intake;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    FakeOrg org;
    TestApi api;
    String run;

    @BeforeEach
    void connect() {
        run = UUID.randomUUID().toString().substring(0, 8);
        api = new TestApi(port);
        FakeSalesforce fake = FakeSalesforce.shared();
        org = fake.newOrg(clock::instant);
        // paused: no timer cycle runs behind the test's back; the test runs each cycle itself
        settings.save(
                new Connection(
                        fake.loginUrl(),
                        "66.0",
                        Auth.CLIENT_CREDENTIALS,
                        org.clientId(),
                        null,
                        org.clientSecret(),
                        20,
                        60,
                        true,
                        Source.SETTINGS),
                clock.instant());
        cycle(); // the new org's first cycle: whatever an earlier test's org left linked is not this org's
    }

    /** A minute later, one cycle, which must have run in full. */
    SalesforceConnector.Cycle cycle() {
        clock.advance(Duration.ofSeconds(61));
        SalesforceConnector.Cycle c = connector.syncNow().orElseThrow();
        assertThat(c.note()).isNull();
        return c;
    }

    record Synced(String leadId, long prospectId) {}

    /** A Salesforce lead synced into Kindling (a prospect with an active link). */
    Synced synced(String name) {
        String email = name + "-" + run + "@campaigns.test";
        String lead = org.create("Lead", Map.of("Email", email, "LastName", name, "Company", "Co " + run));
        cycle();
        return new Synced(lead, prospects.findByEmail(email).orElseThrow().id());
    }

    long kindlingCampaign(String name, String cost) {
        return TestApi.created(api.post("/api/v1/campaigns", """
                {"name":"%s","channel":"WEBINAR","cost":%s,"startDate":"2033-03-01"}""".formatted(name, cost)));
    }

    /** Kindling's own touch of a campaign, recorded as intake records activities (in a transaction). */
    void touch(long prospectId, long campaignId) {
        new org.springframework.transaction.support.TransactionTemplate(transactions)
                .executeWithoutResult(s -> intake.apply(List.of(new dev.kindling.intake.NewActivity(
                        "touch-" + UUID.randomUUID(),
                        prospectId,
                        null,
                        null,
                        dev.kindling.engine.activity.ActivityType.CUSTOM,
                        "Webinar attended",
                        clock.instant(),
                        campaignId,
                        Map.of(),
                        false))));
    }

    TestApi.Response link(long campaignId, String body) {
        return api.post("/api/v1/campaigns/" + campaignId + "/salesforce", body);
    }

    TestApi.Response unlink(TestApi client, long campaignId) {
        return client.send(client.request("/api/v1/campaigns/" + campaignId + "/salesforce")
                .DELETE()
                .build());
    }

    List<String> membersOf(String campaignSfId) {
        return org.records("CampaignMember").stream()
                .filter(m -> campaignSfId.equals(m.get("CampaignId")))
                .map(m -> (String) m.get("LeadId"))
                .toList();
    }

    long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }

    static List<String> fieldErrors(TestApi.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("errors").forEach(e -> out.add(e.get("field").asString()));
        return out;
    }

    @Test
    void linkedToAnExistingCampaignTheEarlierTouchesOfSyncedProspectsBecomeMembersInTheNextCycle() {
        Synced attended = synced("Attended");
        Synced acquired = synced("Acquired");
        Synced bot = synced("Bot");
        long unsynced = prospects
                .upsert(
                        new dev.kindling.prospects.ProspectChanges(
                                Map.of(dev.kindling.prospects.ProspectField.EMAIL, "kindling-only-" + run + "@x.test"),
                                Map.of()),
                        "api")
                .id();
        long campaign = kindlingCampaign("Spring webinar " + run, "250");
        touch(attended.prospectId(), campaign);
        touch(attended.prospectId(), campaign); // two touches, one membership
        touch(bot.prospectId(), campaign);
        // a bot's click is no touch (marked here as the intake marks one: immediate activities are never bots)
        jdbc.sql("UPDATE activity SET bot = true WHERE prospect_id = ? AND campaign_id = ?")
                .param(bot.prospectId())
                .param(campaign)
                .update();
        touch(unsynced, campaign); // not in Salesforce: no member
        // acquired by the campaign (the acquisition campaign is a touch, as attribution counts it)
        jdbc.sql("UPDATE prospect SET campaign_id = ? WHERE id = ?")
                .param(campaign)
                .param(acquired.prospectId())
                .update();
        // nothing queued while the campaign is not linked
        assertThat(count("SELECT count(*) FROM salesforce_member_push WHERE prospect_id = ANY(?)", (Object)
                        new Long[] {attended.prospectId(), acquired.prospectId(), bot.prospectId(), unsynced}))
                .isZero();

        // the Campaign exists in Salesforce; the admin pastes its 15-character id (as Salesforce's pages show it)
        clock.advance(Duration.ofSeconds(1));
        String sfCampaign = org.create("Campaign", Map.of("Name", "Spring webinar " + run));
        TestApi.Response linked = link(campaign, "{\"salesforceId\":\"" + sfCampaign.substring(0, 15) + "\"}");
        assertThat(linked.status()).as(linked.body()).isEqualTo(200);
        assertThat(linked.json().get("salesforceId").asString()).isEqualTo(sfCampaign);
        assertThat(linked.json().get("origin").asString()).isEqualTo("KINDLING");
        // the earlier touches were queued with the link: the synced prospects that touched it, nobody else
        assertThat(linked.json().get("membersQueued").asLong()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT prospect_id FROM salesforce_member_push WHERE campaign_sf_id = ?")
                        .param(sfCampaign)
                        .query(Long.class)
                        .list())
                .containsExactlyInAnyOrder(attended.prospectId(), acquired.prospectId());
        assertThat(org.records("CampaignMember")).isEmpty(); // no call from the request

        SalesforceConnector.Cycle c = cycle();
        assertThat(c.objects().get("Push CampaignMember").created()).isEqualTo(2);
        assertThat(membersOf(sfCampaign)).containsExactlyInAnyOrder(attended.leadId(), acquired.leadId());
        // the cycle read the Campaign: it is the linked campaign, not a second one
        assertThat(count("SELECT count(*) FROM campaign WHERE name = ?", "Spring webinar " + run))
                .isEqualTo(1);
        assertThat(count("SELECT campaign_id FROM salesforce_campaign WHERE sf_id = ?", sfCampaign))
                .isEqualTo(campaign);
        // a blank in Salesforce keeps the campaign's own channel, cost and dates
        JsonNode after = api.get("/api/v1/campaigns/" + campaign).json();
        assertThat(after.get("channel").asString()).isEqualTo("WEBINAR");
        assertThat(after.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("250"));
        assertThat(after.get("startDate").asString()).isEqualTo("2033-03-01");

        // the members read back add no touch; nothing is created twice
        long activities = count("SELECT count(*) FROM activity WHERE campaign_id = ?", campaign);
        cycle();
        assertThat(count("SELECT count(*) FROM activity WHERE campaign_id = ?", campaign))
                .isEqualTo(activities);
        assertThat(membersOf(sfCampaign)).hasSize(2);
        JsonNode status =
                api.get("/api/v1/campaigns/" + campaign + "/salesforce").json();
        assertThat(status.get("membersAdded").asLong()).isEqualTo(2);
        assertThat(status.get("membersQueued").asLong()).isZero();

        // a change in Salesforce reaches the linked campaign (Salesforce → Kindling, as for campaigns read from it)
        clock.advance(Duration.ofSeconds(5));
        org.edit("Campaign", sfCampaign, Map.of("Name", "Spring webinar (SF) " + run, "Type", "Email"));
        cycle();
        JsonNode renamed = api.get("/api/v1/campaigns/" + campaign).json();
        assertThat(renamed.get("name").asString()).isEqualTo("Spring webinar (SF) " + run);
        assertThat(renamed.get("channel").asString()).isEqualTo("EMAIL");
        assertThat(count("SELECT count(*) FROM campaign WHERE name LIKE ?", "Spring webinar%" + run))
                .isEqualTo(1);

        // unlinked: the campaign stays, the members stay in Salesforce, a new touch queues nothing
        TestApi.Response unlinked = unlink(api, campaign);
        assertThat(unlinked.status()).as(unlinked.body()).isEqualTo(200);
        assertThat(unlinked.json().get("salesforceId").isNull()).isTrue();
        Synced later = synced("Later");
        touch(later.prospectId(), campaign);
        assertThat(count("SELECT count(*) FROM salesforce_member_push WHERE prospect_id = ?", later.prospectId()))
                .isZero();
        assertThat(api.get("/api/v1/campaigns/" + campaign).status()).isEqualTo(200);
        assertThat(membersOf(sfCampaign)).hasSize(2);
    }

    @Test
    void createdInSalesforceByTheNextCycleWithTheNameAndCostThenTheMembers() {
        Synced attended = synced("Creator");
        long campaign = kindlingCampaign("Launch " + run, "1500.50");
        touch(attended.prospectId(), campaign);
        int requests = org.requests().size();

        TestApi.Response queued = link(campaign, "{\"create\":true}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(200);
        assertThat(queued.json().get("creating").asBoolean()).isTrue();
        assertThat(queued.json().get("salesforceId").isNull()).isTrue();
        // committed with the request, made by the cycle: the request itself called nothing
        assertThat(org.requests()).hasSize(requests);
        assertThat(count("SELECT count(*) FROM salesforce_campaign_push WHERE campaign_id = ?", campaign))
                .isEqualTo(1);
        assertThat(api.get("/api/v1/salesforce/status")
                        .json()
                        .get("backlogCampaigns")
                        .asLong())
                .isGreaterThanOrEqualTo(1);
        assertThat(api.post("/api/v1/campaigns/" + campaign + "/salesforce", "{\"create\":true}")
                        .status())
                .as("asked again: still the one creation")
                .isEqualTo(200);

        SalesforceConnector.Cycle c = cycle();
        assertThat(c.objects().get("Push Campaign").created()).isEqualTo(1);
        Map<String, Object> created = org.records("Campaign").stream()
                .filter(r -> r.get("Name").equals("Launch " + run))
                .findFirst()
                .orElseThrow();
        String sfCampaign = (String) created.get("Id");
        assertThat(new BigDecimal(String.valueOf(created.get("ActualCost")))).isEqualByComparingTo("1500.50");
        JsonNode status =
                api.get("/api/v1/campaigns/" + campaign + "/salesforce").json();
        assertThat(status.get("salesforceId").asString()).isEqualTo(sfCampaign);
        assertThat(status.get("creating").asBoolean()).isFalse();
        // the earlier touch was queued with the creation and pushed in the same cycle
        assertThat(membersOf(sfCampaign)).containsExactly(attended.leadId());
        assertThat(count("SELECT count(*) FROM salesforce_campaign_push WHERE campaign_id = ?", campaign))
                .isZero();

        // read back by the Campaign sync: the same campaign, which keeps its channel
        cycle();
        assertThat(count("SELECT count(*) FROM campaign WHERE name = ?", "Launch " + run))
                .isEqualTo(1);
        assertThat(api.get("/api/v1/campaigns/" + campaign)
                        .json()
                        .get("channel")
                        .asString())
                .isEqualTo("WEBINAR");
        assertThat(org.records("Campaign").stream()
                        .filter(r -> r.get("Name").equals("Launch " + run))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aCreationSalesforceRefusesIsParkedWithItsMessageNotSentAgainAndCreatedByARetry() {
        Runnable relax = org.validationRule(
                "Campaign",
                r -> String.valueOf(r.get("Name")).startsWith("Blocked"),
                "A campaign needs an approved budget code",
                "Name");
        long campaign = kindlingCampaign("Blocked " + run, "0");
        assertThat(link(campaign, "{\"create\":true}").status()).isEqualTo(200);
        cycle();
        JsonNode parked = null;
        for (JsonNode g : api.get("/api/v1/salesforce/errors").json().get("groups")) {
            for (JsonNode e : g.get("entries")) {
                if ("Campaign".equals(e.get("object").asString())
                        && e.get("message").asString().equals("A campaign needs an approved budget code")) {
                    parked = e;
                }
            }
        }
        assertThat(parked).as("parked in the error queue").isNotNull();
        assertThat(parked.get("kind").asString()).isEqualTo("VALIDATION");
        assertThat(parked.get("code").asString()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        JsonNode status =
                api.get("/api/v1/campaigns/" + campaign + "/salesforce").json();
        assertThat(status.get("creating").asBoolean()).isTrue();
        assertThat(status.get("errors").get(0).get("message").asString())
                .isEqualTo("A campaign needs an approved budget code");

        // parked: not sent again by itself
        int requests = org.requests().size();
        cycle();
        assertThat(org.requests().subList(requests, org.requests().size()))
                .noneMatch(r -> r.startsWith("POST") && r.contains("composite/sobjects"));
        assertThat(count(
                        "SELECT attempts FROM salesforce_error WHERE id = ?",
                        parked.get("id").asLong()))
                .isEqualTo(1);

        relax.run();
        assertThat(api.post("/api/v1/salesforce/errors/" + parked.get("id").asLong() + "/retry", "{}")
                        .status())
                .isEqualTo(200);
        cycle();
        assertThat(org.records("Campaign")).anyMatch(r -> r.get("Name").equals("Blocked " + run));
        JsonNode done = api.get("/api/v1/campaigns/" + campaign + "/salesforce").json();
        assertThat(done.get("salesforceId").isNull()).isFalse();
        assertThat(done.get("errors")).isEmpty();
        assertThat(count(
                        "SELECT count(*) FROM salesforce_error WHERE id = ? AND resolution = 'RETRIED'",
                        parked.get("id").asLong()))
                .isEqualTo(1);

        // another refused creation, dismissed, then cancelled from the campaign
        org.validationRule("Campaign", r -> String.valueOf(r.get("Name")).startsWith("Refused"), "No", "Name");
        long refused = kindlingCampaign("Refused " + run, "0");
        link(refused, "{\"create\":true}");
        cycle();
        long errorId = api.get("/api/v1/campaigns/" + refused + "/salesforce")
                .json()
                .get("errors")
                .get(0)
                .get("id")
                .asLong();
        assertThat(api.post("/api/v1/salesforce/errors/" + errorId + "/dismiss", "{}")
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/campaigns/" + refused + "/salesforce")
                        .json()
                        .get("errors"))
                .isEmpty();
        assertThat(unlink(api, refused).json().get("creating").asBoolean()).isFalse();
        assertThat(count("SELECT count(*) FROM salesforce_campaign_push WHERE campaign_id = ?", refused))
                .isZero();
    }

    @Test
    void aBadIdALinkedCampaignOrCampaignIdOtherRolesAndNoConnectorAreRefusedWithNothingStored() {
        long campaign = kindlingCampaign("Refusals " + run, "0");
        String sfCampaign = org.create("Campaign", Map.of("Name", "Taken " + run));

        for (String body : List.of(
                "{\"salesforceId\":\"12345\"}",
                "{\"salesforceId\":\"" + org.create("Account", Map.of("Name", "Not a campaign")) + "\"}",
                "{\"salesforceId\":\"" + sfCampaign.substring(0, 15) + "XYZ\"}",
                "{}",
                "{\"salesforceId\":\"" + sfCampaign + "\",\"create\":true}")) {
            TestApi.Response refused = link(campaign, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(fieldErrors(refused)).as(body).isNotEmpty();
        }
        assertThat(fieldErrors(link(campaign, "{\"salesforceId\":\"12345\"}"))).containsExactly("salesforceId");
        assertThat(fieldErrors(link(campaign, "{\"campaign\":\"x\"}"))).contains("campaign");
        // a name Salesforce cannot hold (its Campaign names have at most 80 characters)
        long longName = kindlingCampaign("L".repeat(81), "0");
        assertThat(fieldErrors(link(longName, "{\"create\":true}"))).containsExactly("create");

        // another Kindling campaign has the Campaign: 409 naming it
        long first = kindlingCampaign("First " + run, "0");
        assertThat(link(first, "{\"salesforceId\":\"" + sfCampaign + "\"}").status())
                .isEqualTo(200);
        TestApi.Response taken = link(campaign, "{\"salesforceId\":\"" + sfCampaign + "\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(fieldErrors(taken)).containsExactly("salesforceId");
        assertThat(taken.body()).contains("First " + run, "unlink it there first");
        // the campaign is linked already: unlink first (the same id again changes nothing)
        String other = org.create("Campaign", Map.of("Name", "Other " + run));
        assertThat(link(first, "{\"salesforceId\":\"" + other + "\"}").status()).isEqualTo(409);
        assertThat(link(first, "{\"create\":true}").status()).isEqualTo(409);
        assertThat(link(first, "{\"salesforceId\":\"" + sfCampaign + "\"}").status())
                .isEqualTo(200);
        // a campaign read from Salesforce stays linked
        cycle();
        long fromSalesforce = count("SELECT campaign_id FROM salesforce_campaign WHERE sf_id = ?", other);
        TestApi.Response mirrored = link(campaign, "{\"salesforceId\":\"" + other + "\"}");
        assertThat(mirrored.status()).isEqualTo(409);
        assertThat(mirrored.body()).contains("Other " + run, "read from Salesforce: use that campaign");
        TestApi.Response stays = unlink(api, fromSalesforce);
        assertThat(stays.status()).isEqualTo(409);
        assertThat(stays.body()).contains("comes from Salesforce");
        assertThat(unlink(api, campaign).status()).as("not linked").isEqualTo(404);
        assertThat(link(999_999_999L, "{\"create\":true}").status()).isEqualTo(404);

        // ADMIN only
        TestApi marketing = api.keyOf(api.user("MARKETING", null).id());
        assertThat(marketing
                        .post("/api/v1/campaigns/" + campaign + "/salesforce", "{\"create\":true}")
                        .status())
                .isEqualTo(403);
        assertThat(unlink(marketing, first).status()).isEqualTo(403);
        assertThat(marketing.get("/api/v1/campaigns/" + first + "/salesforce").status())
                .isEqualTo(200);

        // no connector configured: 409, nothing stored
        jdbc.sql("DELETE FROM salesforce_connection").update();
        settings.forget(new ConfigurationChanged(SalesforceSettings.TOPIC));
        TestApi.Response off = link(campaign, "{\"create\":true}");
        assertThat(off.status()).isEqualTo(409);
        assertThat(off.body()).contains("not connected");
        assertThat(link(campaign, "{\"salesforceId\":\"" + other + "\"}").status())
                .isEqualTo(409);
        assertThat(count("SELECT count(*) FROM salesforce_campaign_push WHERE campaign_id = ANY(?)", (Object)
                        new Long[] {campaign, longName}))
                .isZero();
        assertThat(count("SELECT count(*) FROM salesforce_campaign WHERE campaign_id = ?", campaign))
                .isZero();
    }
}
