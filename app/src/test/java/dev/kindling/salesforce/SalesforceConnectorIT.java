package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The connector's cycle with a clock the test moves, configured through its API against the fake Salesforce: an
 * opportunity won there makes the prospect a customer within one cycle; the org's allocation used up stops the sync
 * and mails the admins; a tight budget paces the cycle and says so; deletes are found by a full id comparison after
 * the connector was off longer than Salesforce lists deletes; a session expiring mid-cycle is refreshed once, and a
 * refused refresh fails the cycle until the secret is fixed; the console's API (ADMIN only) with its error queue; and
 * with no connection, no call and no cycle, and the built-in opportunities work as before (the connector is optional).
 */
@MovingClockTest
class SalesforceConnectorIT {

    /** The objects a cycle reads, in its order. */
    static final List<String> OBJECTS = List.of(
            "Lead",
            "Contact",
            "Account",
            "User",
            "Campaign",
            "Opportunity",
            "OpportunityContactRole",
            "CampaignMember");

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SalesforceSettings settings;

    @Autowired
    SalesforceConnector connector;

    TestApi api;
    FakeOrg org;
    String run;

    @BeforeEach
    void connect() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        // an allocation like a real org's (the fake's default 15,000 a day leaves 20 % / 1,440 cycles = 2 calls a
        // cycle)
        org = FakeSalesforce.shared().newOrg(clock::instant).dailyLimit(1_000_000);
        connect(20, 60);
        // cycles run when a test says so ("sync now"), or when it resumes and moves the clock
        assertThat(api.post("/api/v1/salesforce/pause", "{}").status()).isEqualTo(200);
    }

    @AfterEach
    void quiet() {
        api.post("/api/v1/salesforce/pause", "{}");
    }

    void connect(int budgetPercent, int cycleSeconds) {
        TestApi.Response saved = api.put(
                "/api/v1/salesforce/connection",
                "{\"loginUrl\":\"" + FakeSalesforce.shared().loginUrl() + "\",\"clientId\":\"" + org.clientId()
                        + "\",\"clientSecret\":\"" + org.clientSecret() + "\",\"budgetPercent\":" + budgetPercent
                        + ",\"cycleSeconds\":" + cycleSeconds + "}");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().has("clientSecret")).isFalse();
        assertThat(saved.json().get("secretSet").asBoolean()).isTrue();
        // at rest the secret is encrypted: neither the secret nor its bytes are in the row
        byte[] stored = jdbc.sql("SELECT secret FROM salesforce_connection")
                .query(byte[].class)
                .single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(org.clientSecret());
        assertThat(stored.length).isGreaterThan(org.clientSecret().length());
    }

    JsonNode sync() {
        TestApi.Response cycle = api.post("/api/v1/salesforce/sync", "{}");
        assertThat(cycle.status()).as(cycle.body()).isEqualTo(200);
        return cycle.json();
    }

    long prospect(String email) {
        return api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}")
                .json()
                .get("id")
                .asLong();
    }

    String stage(long prospectId) {
        return api.get("/api/v1/prospects/" + prospectId).json().get("stage").asString();
    }

    @Test
    void withNoConnectionTheConnectorMakesNoCallWritesNothingAndBuiltInOpportunitiesWorkAsBefore() {
        // the connection removed: Kindling runs as it did before the connector existed
        jdbc.sql("DELETE FROM salesforce_connection").update();
        settings.forget(new dev.kindling.platform.cluster.ConfigurationChanged(SalesforceSettings.TOPIC));
        int requests = org.requests().size();
        long tokens = org.tokenRequests();
        long cycles = count("SELECT count(*) FROM salesforce_cycle");
        assertThat(api.get("/api/v1/salesforce/connection").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/salesforce/status").json().get("configured").asBoolean())
                .isFalse();

        // time passes and the timer ticks: no cycle; "sync now" has nothing to run
        clock.advance(Duration.ofMinutes(5));
        connector.tick();
        assertThat(connector.syncNow()).isEmpty();
        assertThat(api.post("/api/v1/salesforce/sync", "{}").status()).isEqualTo(409);

        // the built-in opportunities, with their effects, editable as ever
        long buyer = prospect("optional-" + run + "@kindling.test");
        long dealId = TestApi.created(api.post(
                "/api/v1/opportunities",
                "{\"name\":\"Built-in " + run + "\",\"amount\":1000,\"contactRoles\":[{\"prospectId\":" + buyer
                        + ",\"role\":\"ECONOMIC_BUYER\",\"primary\":true}]}"));
        assertThat(stage(buyer)).isEqualTo("SQL");
        assertThat(api.patch("/api/v1/opportunities/" + dealId, "{\"amount\":1200}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/opportunities/" + dealId + "/won", "{}").status())
                .isEqualTo(200);
        assertThat(stage(buyer)).isEqualTo("CUSTOMER");
        assertThat(count("SELECT count(*) FROM opportunity WHERE id = ? AND source IS NOT NULL", dealId))
                .isZero();
        // a Kindling edit queues nothing for Salesforce; the explicit step is refused; no Salesforce panel shows
        assertThat(api.patch("/api/v1/prospects/" + buyer, "{\"jobTitle\":\"CFO\"}")
                        .status())
                .isEqualTo(200);
        assertThat(count("SELECT count(*) FROM salesforce_outbox WHERE prospect_id = ?", buyer))
                .isZero();
        assertThat(count("SELECT count(*) FROM salesforce_record WHERE prospect_id = ?", buyer))
                .isZero();
        assertThat(api.post("/api/v1/prospects/" + buyer + "/crm-sync", "{}").status())
                .isEqualTo(409);
        dev.kindling.support.UiSession ui =
                dev.kindling.support.UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        assertThat(ui.open("/prospects/" + buyer).body()).doesNotContain("id=\"salesforce\"");
        long campaign = api.post("/api/v1/campaigns", "{\"name\":\"Optional " + run + "\",\"channel\":\"WEB\"}")
                .json()
                .get("id")
                .asLong();
        assertThat(ui.open("/campaigns/" + campaign).body()).doesNotContain("id=\"salesforce\"");

        // not one call, not one cycle
        assertThat(org.requests()).hasSize(requests);
        assertThat(org.tokenRequests()).isEqualTo(tokens);
        assertThat(count("SELECT count(*) FROM salesforce_cycle")).isEqualTo(cycles);
    }

    long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }

    @Test
    void anOpportunityWonInSalesforceMakesTheProspectACustomerWithinOneCycle() {
        String email = "won-" + run + "@cycle.test";
        long prospect = prospect(email);
        String contact = org.create("Contact", Map.of("LastName", "Won", "Email", email));
        String opportunity = org.create(
                "Opportunity", Map.of("Name", "Cycle deal " + run, "StageName", "Proposal", "IsClosed", false));
        org.create(
                "OpportunityContactRole",
                Map.of("OpportunityId", opportunity, "ContactId", contact, "Role", "Economic Buyer"));
        JsonNode first = sync();
        assertThat(first.get("objects").get("Opportunity").get("created").asInt())
                .isEqualTo(1);
        assertThat(first.get("objects")
                        .get("OpportunityContactRole")
                        .get("created")
                        .asInt())
                .isEqualTo(1);
        assertThat(stage(prospect)).isEqualTo("SQL");

        assertThat(api.post("/api/v1/salesforce/resume", "{}").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(20)); // a sales rep wins it a little later
        org.edit("Opportunity", opportunity, Map.of("IsClosed", true, "IsWon", true, "StageName", "Closed Won"));
        clock.advance(Duration.ofSeconds(40));
        await("the next cycle, one cycle time later")
                .atMost(Duration.ofSeconds(20))
                .until(() -> stage(prospect).equals("CUSTOMER"));
        JsonNode won = api.get("/api/v1/prospects/" + prospect + "/opportunities")
                .json()
                .get("items");
        assertThat(won.get(0).get("status").asString()).isEqualTo("WON");
    }

    @Test
    void theOrgsAllocationUsedUpStopsTheSyncAndMailsTheAdmins() {
        org.dailyLimit(1_000).apiCallsUsed(1_000);
        JsonNode stopped = sync();
        assertThat(stopped.get("note").asString()).startsWith("stopped: REQUEST_LIMIT_EXCEEDED");
        JsonNode status = api.get("/api/v1/salesforce/status").json();
        assertThat(status.get("stoppedUntil").isNull()).isFalse();
        assertThat(status.get("connected").asBoolean()).isFalse();
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM mail_outbox
                         WHERE to_address = 'admin@kindling.local' AND subject LIKE 'Salesforce sync stopped%'""").query(Long.class).single()).isEqualTo(1);
        long callsBefore = org.apiCallsUsed();
        JsonNode again = sync();
        assertThat(again.get("note").asString()).startsWith("stopped until");
        assertThat(org.apiCallsUsed()).isEqualTo(callsBefore);
    }

    @Test
    void aTightBudgetPacesTheCycleSaysSoAndReachesEveryObjectInTurn() {
        connect(1, 10); // 1 % of 1,000,000 a day over 8,640 cycles: one call per cycle
        sync(); // the first cycle learns the org's usage
        JsonNode paced = sync();
        assertThat(paced.get("note").asString()).contains("paced by the API budget");
        assertThat(paced.get("apiCalls").asInt()).isEqualTo(1);
        List<String> read = new java.util.ArrayList<>();
        paced.get("objects").propertyNames().forEach(read::add);
        read.remove("Push"); // the push runs every cycle
        // one composite call reads the first pages of five objects; the next cycle starts with the other three
        assertThat(read).hasSize(SalesforceClient.QUERIES_PER_COMPOSITE);
        JsonNode next = sync();
        assertThat(next.get("apiCalls").asInt()).isEqualTo(1);
        List<String> nextRead = new java.util.ArrayList<>();
        next.get("objects").propertyNames().forEach(nextRead::add);
        nextRead.remove("Push");
        assertThat(nextRead).hasSize(SalesforceClient.QUERIES_PER_COMPOSITE);
        assertThat(nextRead.subList(0, 3)).doesNotContainAnyElementsOf(read);
        read.addAll(nextRead);
        assertThat(read).containsOnlyElementsOf(OBJECTS);
        JsonNode cycles = api.get("/api/v1/salesforce/status").json().get("cycles");
        assertThat(cycles.get(0).get("note").asString()).contains("paced by the API budget");
    }

    @Test
    void anIdleCycleMakesAtMostTwoCallsAndChangesOnSeveralObjectsAreAllReadInTheNextCycle() {
        sync(); // the first cycle reads everything and checks deletes
        clock.advance(Duration.ofSeconds(60));
        long calls = org.apiCallsUsed();
        int logged = org.requests().size();
        JsonNode idle = sync();
        assertThat(idle.get("apiCalls").asInt()).isLessThanOrEqualTo(2);
        assertThat(org.apiCallsUsed() - calls).isLessThanOrEqualTo(2);
        List<String> requests = org.requests().subList(logged, org.requests().size());
        assertThat(requests.stream().filter(r -> !r.endsWith("(composite)")))
                .hasSizeLessThanOrEqualTo(2)
                .allMatch(r -> r.equals("POST /composite"));
        assertThat(requests.stream().filter(r -> r.startsWith("GET /queryAll") && r.endsWith("(composite)")))
                .hasSize(8);

        clock.advance(Duration.ofSeconds(60));
        org.create("Account", Map.of("Name", "Idle Co " + run));
        org.create("Campaign", Map.of("Name", "Idle campaign " + run));
        org.create("Opportunity", Map.of("Name", "Idle deal " + run, "StageName", "Open", "IsClosed", false));
        JsonNode changed = sync();
        assertThat(changed.get("objects").get("Account").get("created").asInt()).isEqualTo(1);
        assertThat(changed.get("objects").get("Campaign").get("created").asInt())
                .isEqualTo(1);
        assertThat(changed.get("objects").get("Opportunity").get("created").asInt())
                .isEqualTo(1);
        assertThat(changed.get("apiCalls").asInt()).isLessThanOrEqualTo(2);
    }

    @Test
    void recordsStampedTogetherLeaveTheOverlapWindowAndKindlingEditsArePushedInEveryCycleMeanwhile() {
        // 4 calls a cycle once the first cycle has learnt the org's usage: 20 % of 31,300 a day over 1,440 cycles
        org.dailyLimit(31_300);
        String email = "window-" + run + "@cycle.test";
        String lead = org.create("Lead", Map.of("LastName", "Window", "Company", "Load Co", "Email", email));
        // a data load: 5,000 accounts stamped in the same second, three query pages of 2,000
        for (int i = 0; i < 5_000; i++) {
            org.create("Account", Map.of("Name", "Load " + run + " " + i));
        }
        sync(); // the first cycle reads everything and learns the org's usage
        long prospect = api.prospectId(email);
        for (int cycle = 1; cycle <= 9; cycle++) {
            clock.advance(Duration.ofSeconds(60));
            String title = "Title " + cycle;
            assertThat(api.patch("/api/v1/prospects/" + prospect, "{\"jobTitle\":\"" + title + "\"}")
                            .status())
                    .isEqualTo(200);
            sync();
            // the polls leave the push its share, even while the load is read again within the overlap window
            assertThat(org.record("Lead", lead).get("Title"))
                    .as("the edit of cycle %d is in Salesforce after it", cycle)
                    .isEqualTo(title);
        }
        // nine minutes after the load, its records have left the window: an idle cycle costs the idle figure
        for (int cycle = 0; cycle < 3; cycle++) {
            clock.advance(Duration.ofSeconds(60));
            int logged = org.requests().size();
            JsonNode idle = sync();
            assertThat(idle.get("apiCalls").asInt()).isLessThanOrEqualTo(2);
            assertThat(org.requests().subList(logged, org.requests().size()))
                    .as("no further query page")
                    .noneMatch(r -> r.startsWith("GET /query/"));
        }
    }

    @Test
    void recordsDeletedWhileTheConnectorWasOffLongerThanSalesforceListsDeletesAreFoundByComparingIds() {
        String kept = org.create("Opportunity", Map.of("Name", "Kept " + run, "StageName", "Open", "IsClosed", false));
        String purged =
                org.create("Opportunity", Map.of("Name", "Purged " + run, "StageName", "Open", "IsClosed", false));
        sync();
        long keptId = linked(kept);
        long purgedId = linked(purged);
        org.hardDelete("Opportunity", purged);
        clock.advance(Duration.ofDays(16));
        sync();
        assertThat(api.get("/api/v1/opportunities/" + purgedId).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/opportunities/" + keptId).status()).isEqualTo(200);
    }

    @Test
    void aSessionExpiringMidCycleIsRefreshedOnceAndARefusedRefreshFailsTheCycleUntilTheSecretIsFixed() {
        sync(); // the first cycle reads everything and checks deletes
        clock.advance(Duration.ofSeconds(60));
        String account = org.create("Account", Map.of("Name", "Session Co " + run));
        org.create("Campaign", Map.of("Name", "Session campaign " + run));
        String deal = org.create(
                "Opportunity", Map.of("Name", "Session deal " + run, "StageName", "Open", "IsClosed", false));
        long tokens = org.tokenRequests();
        // the first composite request (leads … campaigns) is answered, then the session times out before the second
        org.expireTokensAfter(1);
        JsonNode refreshed = sync();
        assertThat(org.tokenRequests()).isEqualTo(tokens + 1);
        assertThat(noteOf(refreshed)).as(refreshed.toString()).isNull();
        assertThat(refreshed.get("objects").propertyNames())
                .containsAll(OBJECTS)
                .contains("Push")
                .hasSize(OBJECTS.size() + 1);
        assertThat(refreshed.get("objects").get("Account").get("created").asInt())
                .isEqualTo(1);
        assertThat(refreshed.get("objects").get("Campaign").get("created").asInt())
                .isEqualTo(1);
        assertThat(refreshed.get("objects").get("Opportunity").get("created").asInt())
                .isEqualTo(1);
        assertReadWithoutFailure(deal, "Session deal " + run);

        // the connected app's secret is revoked, then the session expires again mid-cycle: the refresh is refused
        clock.advance(Duration.ofSeconds(60));
        String laterAccount = org.create("Account", Map.of("Name", "Later Co " + run));
        String laterDeal =
                org.create("Opportunity", Map.of("Name", "Later deal " + run, "StageName", "Open", "IsClosed", false));
        Instant dealWatermark = watermark("Opportunity");
        org.newClientSecret("rotated-" + run);
        tokens = org.tokenRequests();
        org.expireTokensAfter(1);
        JsonNode failed = sync();
        assertThat(org.tokenRequests()).as("one refresh, no loop").isEqualTo(tokens + 1);
        assertThat(noteOf(failed))
                .isEqualTo("failed: Salesforce sign-in failed: invalid_client: invalid client credentials");
        assertThat(api.get("/api/v1/salesforce/status")
                        .json()
                        .get("lastFailure")
                        .asString())
                .isEqualTo("Salesforce sign-in failed: invalid_client: invalid client credentials");
        // the page read before the failure is committed with its watermark; nothing after it moved
        assertThat(watermark("Account")).isAfterOrEqualTo(modstamp("Account", laterAccount));
        assertThat(watermark("Opportunity")).isEqualTo(dealWatermark);
        assertThat(jdbc.sql("SELECT count(*) FROM salesforce_opportunity WHERE sf_id = :id")
                        .param("id", laterDeal)
                        .query(Long.class)
                        .single())
                .isZero();

        // the admin saves the connection with the new secret: the next cycle signs in and reads what was left
        connect(20, 60);
        clock.advance(Duration.ofSeconds(60));
        JsonNode fixed = sync();
        assertThat(noteOf(fixed)).as(fixed.toString()).isNull();
        assertThat(fixed.get("objects").get("Opportunity").get("created").asInt())
                .isEqualTo(1);
        assertReadWithoutFailure(laterDeal, "Later deal " + run);
        assertThat(linkedAccount(account)).isNotNull();
    }

    /** The opportunity is in Kindling under its name, the watermark covers it, and the console shows no failure. */
    void assertReadWithoutFailure(String opportunity, String name) {
        assertThat(watermark("Opportunity")).isAfterOrEqualTo(modstamp("Opportunity", opportunity));
        assertThat(api.get("/api/v1/opportunities/" + linked(opportunity))
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo(name);
        assertThat(api.get("/api/v1/salesforce/status")
                        .json()
                        .get("lastFailure")
                        .isNull())
                .isTrue();
    }

    Long linkedAccount(String sfId) {
        return jdbc.sql("SELECT account_id FROM salesforce_account WHERE sf_id = :id")
                .param("id", sfId)
                .query(Long.class)
                .single();
    }

    static String noteOf(JsonNode cycle) {
        JsonNode note = cycle.path("note");
        return note.isNull() || note.isMissingNode() ? null : note.asString();
    }

    Instant watermark(String object) {
        return jdbc.sql("SELECT modstamp FROM salesforce_watermark WHERE object = :object")
                .param("object", object)
                .query(Timestamp.class)
                .single()
                .toInstant();
    }

    Instant modstamp(String object, String id) {
        return Instant.parse(
                String.valueOf(org.record(object, id).get("SystemModstamp")).replaceFirst("\\+0000$", "Z"));
    }

    long linked(String sfId) {
        return jdbc.sql("SELECT opportunity_id FROM salesforce_opportunity WHERE sf_id = :id")
                .param("id", sfId)
                .query(Long.class)
                .single();
    }

    @Test
    void theConsoleApiShowsTheStatusAndTheErrorQueueWithRetryDismissAndCsvToAdminsOnly() {
        String bad = org.create(
                "Opportunity",
                Map.of("Name", "Bad amount " + run, "Amount", -1, "StageName", "Open", "IsClosed", false));
        String other = org.create(
                "Opportunity", Map.of("Name", "Also bad " + run, "Amount", -2, "StageName", "Open", "IsClosed", false));
        sync();
        JsonNode status = api.get("/api/v1/salesforce/status").json();
        assertThat(status.get("configured").asBoolean()).isTrue();
        assertThat(status.get("connected").asBoolean()).isTrue();
        assertThat(status.get("paused").asBoolean()).isTrue();
        assertThat(status.get("budgetPercent").asInt()).isEqualTo(20);
        assertThat(status.get("budgetToday").asLong()).isEqualTo(200_000);
        assertThat(status.get("apiCallsToday").asLong()).isPositive();
        assertThat(status.get("openErrors").asLong()).isEqualTo(2);
        JsonNode opportunities = null;
        for (JsonNode o : status.get("objects")) {
            if (o.get("object").asString().equals("Opportunity")) {
                opportunities = o;
            }
        }
        assertThat(opportunities).isNotNull();
        assertThat(opportunities.get("failed").asInt()).isEqualTo(2);

        JsonNode groups = api.get("/api/v1/salesforce/errors").json().get("groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("kind").asString()).isEqualTo("VALIDATION");
        assertThat(groups.get(0).get("count").asInt()).isEqualTo(2);
        long badError = errorId(groups.get(0).get("entries"), bad);
        long otherError = errorId(groups.get(0).get("entries"), other);

        TestApi.Response csv = api.send(api.request("/api/v1/salesforce/errors")
                .header("Accept", "text/csv")
                .GET()
                .build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body())
                .startsWith("id,object,salesforce_id,kind,code,message")
                .contains(bad, other);

        org.edit("Opportunity", bad, Map.of("Amount", 10));
        JsonNode retried = api.post("/api/v1/salesforce/errors/" + badError + "/retry", "{}")
                .json();
        assertThat(retried.get("reread").asInt()).isEqualTo(1);
        assertThat(retried.get("open").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/opportunities/" + linked(bad)).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/salesforce/errors/" + badError + "/retry", "{}")
                        .status())
                .isEqualTo(404);

        TestApi.Response badKind = api.post("/api/v1/salesforce/errors/dismiss", "{\"kind\":\"NOPE\"}");
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.contentType()).startsWith("application/problem+json");
        assertThat(api.post("/api/v1/salesforce/errors/" + otherError + "/dismiss", "{}")
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/salesforce/errors").json().get("groups")).isEmpty();

        TestApi.User marketer = api.user("MARKETING", "marketing-password-" + run);
        TestApi asMarketer = api.keyOf(marketer.id());
        assertThat(asMarketer.get("/api/v1/salesforce/status").status()).isEqualTo(403);
        assertThat(asMarketer.post("/api/v1/salesforce/sync", "{}").status()).isEqualTo(403);
        assertThat(asMarketer
                        .put("/api/v1/salesforce/connection", "{\"clientId\":\"x\",\"clientSecret\":\"y\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aConnectionWithBadValuesIsRefusedWithEveryProblemAndNothingIsStored() {
        TestApi.Response refused = api.put(
                "/api/v1/salesforce/connection",
                "{\"loginUrl\":\"ftp://x\",\"apiVersion\":\"latest\",\"auth\":\"PASSWORD\",\"clientId\":\"\","
                        + "\"budgetPercent\":0,\"cycleSeconds\":5}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body())
                .contains("loginUrl", "apiVersion", "auth", "clientId", "budgetPercent", "cycleSeconds");
        TestApi.Response unknown = api.put("/api/v1/salesforce/connection", "{\"clientId\":\"a\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        TestApi.Response jwtWithoutKey = api.put(
                "/api/v1/salesforce/connection",
                "{\"clientId\":\"a\",\"auth\":\"JWT_BEARER\",\"privateKey\":\"nope\"}");
        assertThat(jwtWithoutKey.status()).isEqualTo(400);
        assertThat(jwtWithoutKey.body()).contains("username", "privateKey");
        assertThat(api.get("/api/v1/salesforce/connection")
                        .json()
                        .get("clientId")
                        .asString())
                .isEqualTo(org.clientId());
    }

    static long errorId(JsonNode entries, String sfId) {
        for (JsonNode e : entries) {
            if (e.get("sfId").asString().equals(sfId)) {
                return e.get("id").asLong();
            }
        }
        throw new AssertionError("no error for " + sfId + " in " + entries);
    }
}
