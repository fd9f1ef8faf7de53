package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.engine.crm.FieldRule;
import dev.kindling.prospects.ProspectChanges;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectMerges;
import dev.kindling.prospects.Prospects;
import dev.kindling.salesforce.SalesforceSettings.Auth;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import dev.kindling.salesforce.SalesforceSettings.Source;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.time.Duration;
import java.util.EnumMap;
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
 * Prospects ↔ Salesforce leads and contacts through the connector's cycle, against the fake Salesforce: each test
 * has its own org and moves the clock from cycle to cycle (no waiting). Conflicts under each rule, blanks, lead
 * conversion mid-sync, merges, deletes, the explicit sync step with matching, duplicate rules, parked and retried
 * errors, lock errors retried.
 */
@MovingClockTest
class SalesforceProspectSyncIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    SalesforceSettings settings;

    @Autowired
    SalesforceConnector connector;

    @Autowired
    SalesforceFieldMap fieldMap;

    @Autowired
    SalesforceOutbox outbox;

    @Autowired
    CrmSync crmSync;

    @Autowired
    Prospects prospects;

    @Autowired
    ProspectMerges merges;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CampaignMemberPush memberPush;

    @Autowired
    dev.kindling.scoring.ProspectScores scores;

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
        rules(FieldRule.MOST_RECENT, false);
        crmSync.saveCondition(null);
    }

    void rules(FieldRule rule, boolean blankMayOverwrite) {
        fieldMap.save(
                List.of(
                        new SalesforceFieldMap.Input(
                                "firstName", "FirstName", "FirstName", rule.name(), blankMayOverwrite),
                        new SalesforceFieldMap.Input("jobTitle", "Title", "Title", rule.name(), blankMayOverwrite),
                        new SalesforceFieldMap.Input("phone", "Phone", "Phone", rule.name(), blankMayOverwrite)),
                clock.instant());
    }

    /** A minute later, one cycle, which must have run in full. */
    void cycle() {
        clock.advance(Duration.ofSeconds(61));
        SalesforceConnector.Cycle c = connector.syncNow().orElseThrow();
        assertThat(c.note()).isNull();
    }

    String lead(String email, Map<String, Object> more) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(
                Map.of("Email", email, "FirstName", "Ada", "LastName", "Lovelace", "Company", "Engines " + run));
        fields.putAll(more);
        return org.create("Lead", fields);
    }

    /** A prospect Kindling knows before Salesforce does. */
    long kindlingProspect(Map<ProspectField, Object> fields) {
        return prospects.upsert(new ProspectChanges(fields, Map.of()), "api").id();
    }

    record Linked(String leadId, long prospectId) {}

    /** A Salesforce lead, synced into Kindling by a cycle. */
    Linked linkedLead(String email, Map<String, Object> more) {
        String leadId = lead(email, more);
        cycle();
        return new Linked(leadId, prospectOf(email));
    }

    /** The explicit step: answered at once with the push pending, then its status once the push (off the request) ran. */
    CrmSync.Status requested(long id, boolean allowDuplicates) {
        assertThat(crmSync.request(id, allowDuplicates).queued()).isTrue();
        return pushed(id);
    }

    /** The prospect's status once its queued push ran. */
    CrmSync.Status pushed(long id) {
        await("the queued push ran")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !crmSync.status(id).queued());
        return crmSync.status(id);
    }

    long prospectOf(String email) {
        return prospects.findByEmail(email).orElseThrow().id();
    }

    void edit(long prospectId, ProspectField field, Object value) {
        Map<ProspectField, Object> f = new EnumMap<>(ProspectField.class);
        f.put(field, value);
        prospects.update(prospectId, new ProspectChanges(f, Map.of()));
    }

    String linkState(String sfId) {
        return jdbc.sql("SELECT state FROM salesforce_record WHERE sf_id = :id")
                .param("id", sfId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    long outboxRows(long prospectId) {
        return jdbc.sql("SELECT count(*) FROM salesforce_outbox WHERE prospect_id = :p")
                .param("p", prospectId)
                .query(Long.class)
                .single();
    }

    @Test
    void aSalesforceLeadBecomesAProspectAndAKindlingEditIsQueuedWithTheChangeAndReachesTheLead() {
        String email = "ada-" + run + "@engines.test";
        Linked linked = linkedLead(email, Map.of("Title", "Analyst"));
        String leadId = linked.leadId();
        long id = linked.prospectId();
        assertThat(prospects.get(id).firstName()).isEqualTo("Ada");
        assertThat(prospects.get(id).jobTitle()).isEqualTo("Analyst");
        assertThat(linkState(leadId)).isEqualTo("ACTIVE");

        clock.advance(Duration.ofSeconds(5));
        edit(id, ProspectField.JOB_TITLE, "Chief Analyst");
        // the outbox row was committed with the change
        assertThat(outboxRows(id)).isEqualTo(1);
        cycle();
        assertThat(org.record("Lead", leadId).get("Title")).isEqualTo("Chief Analyst");
        assertThat(outboxRows(id)).isZero();

        // nothing changed: the next cycle writes nothing
        int requests = org.requests().size();
        cycle();
        assertThat(org.requests().subList(requests, org.requests().size()))
                .noneMatch(r -> r.startsWith("PATCH") || r.startsWith("POST") && !r.equals("POST /composite"));
    }

    @Test
    void theConsoleShowsTheBacklogOfQueuedUpdatesWithItsSizeAndAge() {
        Linked linked = linkedLead("backlog-" + run + "@engines.test", Map.of());
        edit(linked.prospectId(), ProspectField.JOB_TITLE, "Queued");
        clock.advance(Duration.ofMinutes(2)); // no cycle runs: the update waits in the queue
        tools.jackson.databind.JsonNode status =
                api.get("/api/v1/salesforce/status").json();
        assertThat(status.get("backlogDue").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(status.get("backlogAgeSeconds").asLong()).isGreaterThanOrEqualTo(120);
        assertThat(java.time.Instant.parse(status.get("backlogOldestQueuedAt").asString()))
                .isBeforeOrEqualTo(clock.instant().minus(Duration.ofMinutes(2)));
        cycle();
        assertThat(outboxRows(linked.prospectId())).isZero();
    }

    void conflict(FieldRule rule, boolean salesforceLater, String expectedKindling, String expectedSalesforce) {
        rules(rule, false);
        String email = "conflict-" + rule + "-" + salesforceLater + "-" + run + "@engines.test";
        String leadId = lead(email, Map.of());
        cycle();
        long id = prospectOf(email);
        clock.advance(Duration.ofSeconds(5));
        if (salesforceLater) {
            edit(id, ProspectField.FIRST_NAME, "Kindling");
            clock.advance(Duration.ofSeconds(5));
            org.edit("Lead", leadId, Map.of("FirstName", "Salesforce"));
        } else {
            org.edit("Lead", leadId, Map.of("FirstName", "Salesforce"));
            clock.advance(Duration.ofSeconds(5));
            edit(id, ProspectField.FIRST_NAME, "Kindling");
        }
        cycle();
        cycle();
        assertThat(prospects.get(id).firstName()).as("Kindling under " + rule).isEqualTo(expectedKindling);
        assertThat(org.record("Lead", leadId).get("FirstName"))
                .as("Salesforce under " + rule)
                .isEqualTo(expectedSalesforce);
    }

    @Test
    void aConflictingEditOnBothSidesIsSettledByTheFieldsRule() {
        conflict(FieldRule.KINDLING_WINS, true, "Kindling", "Kindling");
        conflict(FieldRule.SALESFORCE_WINS, false, "Salesforce", "Salesforce");
        conflict(FieldRule.MOST_RECENT, true, "Salesforce", "Salesforce");
        conflict(FieldRule.MOST_RECENT, false, "Kindling", "Kindling");
        conflict(FieldRule.DONT_SYNC, true, "Kindling", "Salesforce");
    }

    @Test
    void aBlankInSalesforceNeverErasesKindlingsValueUnlessTheFieldAllowsIt() {
        String email = "blank-" + run + "@engines.test";
        Linked linked = linkedLead(email, Map.of("Title", "CTO", "Phone", "+49 30 1234"));
        String leadId = linked.leadId();
        long id = linked.prospectId();
        org.edit("Lead", leadId, Map.of("Title", " ", "Phone", ""));
        cycle();
        assertThat(prospects.get(id).jobTitle()).isEqualTo("CTO");
        assertThat(prospects.get(id).phone()).isEqualTo("+49 30 1234");

        fieldMap.save(
                List.of(new SalesforceFieldMap.Input("phone", "Phone", "Phone", "SALESFORCE_WINS", true)),
                clock.instant());
        clock.advance(Duration.ofSeconds(5));
        org.edit("Lead", leadId, Map.of("Phone", "+49 30 9999"));
        cycle();
        assertThat(prospects.get(id).phone()).isEqualTo("+49 30 9999");
        clock.advance(Duration.ofSeconds(5));
        org.edit("Lead", leadId, Map.of("Phone", ""));
        cycle();
        assertThat(prospects.get(id).phone()).isNull();
        assertThat(prospects.get(id).jobTitle()).isEqualTo("CTO");
    }

    @Test
    void aLeadConvertedMidSyncMovesTheLinkToTheContactAndIsNeverWrittenAgain() {
        String email = "convert-" + run + "@engines.test";
        Linked linked = linkedLead(email, Map.of("Title", "Engineer"));
        String leadId = linked.leadId();
        long id = linked.prospectId();
        clock.advance(Duration.ofSeconds(5));
        edit(id, ProspectField.JOB_TITLE, "Lead Engineer"); // queued for the lead …
        String contactId = org.convertLead(leadId); // … which Salesforce converts before the push
        cycle();
        assertThat(linkState(leadId)).isEqualTo("CONVERTED");
        assertThat(linkState(contactId)).isEqualTo("ACTIVE");
        assertThat(org.record("Contact", contactId).get("Title")).isEqualTo("Lead Engineer");
        assertThat(org.record("Lead", leadId).get("Title")).isEqualTo("Engineer");

        clock.advance(Duration.ofSeconds(5));
        edit(id, ProspectField.PHONE, "+1 555 0100");
        cycle();
        assertThat(org.record("Contact", contactId).get("Phone")).isEqualTo("+1 555 0100");
        assertThat(org.record("Lead", leadId)).doesNotContainKey("Phone");
        assertThat(crmSync.status(id).object()).isEqualTo("Contact");
    }

    @Test
    void aSalesforceMergeRepointsTheLinkAndMergesTheTwoProspects() {
        String master = lead("master-" + run + "@engines.test", Map.of());
        String loser = lead("loser-" + run + "@engines.test", Map.of("Title", "Buyer"));
        cycle();
        long survivor = prospectOf("master-" + run + "@engines.test");
        long merged = prospectOf("loser-" + run + "@engines.test");
        clock.advance(Duration.ofSeconds(5));
        org.merge("Lead", master, loser);
        cycle();
        assertThat(linkState(loser)).isEqualTo("MERGED");
        assertThat(linkState(master)).isEqualTo("ACTIVE");
        assertThat(merges.survivorOf(merged)).contains(survivor);
        assertThat(prospects.find(merged)).isEmpty();
        // the loser's address still finds the survivor
        assertThat(prospects.knownEmails(List.of("loser-" + run + "@engines.test")))
                .containsExactly("loser-" + run + "@engines.test");
    }

    @Test
    void aLeadDeletedInSalesforceFlagsTheProspectAndIsNeverRecreatedByAChange() {
        String email = "deleted-" + run + "@engines.test";
        Linked linked = linkedLead(email, Map.of());
        String leadId = linked.leadId();
        long id = linked.prospectId();
        clock.advance(Duration.ofSeconds(5));
        org.delete("Lead", leadId);
        cycle();
        assertThat(crmSync.status(id).deletedInCrm()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        edit(id, ProspectField.JOB_TITLE, "Still here");
        cycle();
        assertThat(org.records("Lead")).noneMatch(r -> email.equals(r.get("Email")));
        assertThat(crmSync.status(id).deletedInCrm()).isTrue();
        assertThat(prospects.get(id).jobTitle()).isEqualTo("Still here");
    }

    @Test
    void aProspectIsCreatedInSalesforceOnlyByTheExplicitStepAndOnlyWhenItMatchesTheCondition() {
        String email = "explicit-" + run + "@engines.test";
        long id = kindlingProspect(Map.of(ProspectField.EMAIL, email, ProspectField.LAST_NAME, "Hopper"));
        edit(id, ProspectField.JOB_TITLE, "Admiral");
        cycle();
        assertThat(org.records("Lead")).isEmpty();

        crmSync.saveCondition(tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree("{\"stage\": {\"in\": [\"MQL\", \"SAL\", \"SQL\", \"CUSTOMER\"]}}"));
        TestApi.Response refused = api.post("/api/v1/prospects/" + id + "/crm-sync", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(org.records("Lead")).isEmpty();

        crmSync.saveCondition(null);
        TestApi.Response accepted = api.post("/api/v1/prospects/" + id + "/crm-sync", "{}");
        // accepted and pending: the push runs off the request, at once
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("queued").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !api.get("/api/v1/prospects/" + id + "/crm")
                        .json()
                        .get("queued")
                        .asBoolean());
        JsonNode synced = api.get("/api/v1/prospects/" + id + "/crm").json();
        assertThat(synced.get("object").asString()).isEqualTo("Lead");
        String leadId = synced.get("salesforceId").asString();
        assertThat(org.record("Lead", leadId))
                .containsEntry("Email", email)
                .containsEntry("LastName", "Hopper")
                .containsEntry("Title", "Admiral");
    }

    @Test
    void theExplicitStepMatchesByEmailFirstPreferringAContactToALead() {
        String email = "match-" + run + "@engines.test";
        org.create("Lead", Map.of("Email", email, "LastName", "Lead", "Company", "X"));
        String contactId = org.create(
                "Contact", Map.of("Email", email, "LastName", "Contact", "Title", "VP", "Phone", "+1 555 0002"));
        // Kindling knows the person before it ever polled Salesforce, and is edited later than the contact
        clock.advance(Duration.ofSeconds(5));
        long id = kindlingProspect(Map.of(
                ProspectField.EMAIL, email, ProspectField.PHONE, "+1 555 0001", ProspectField.FIRST_NAME, "Grace"));
        CrmSync.Status status = requested(id, false);
        assertThat(status.salesforceId()).isEqualTo(contactId);
        assertThat(org.records("Lead")).hasSize(1);
        // blanks filled from the other side; a field filled differently on both: Salesforce's (Kindling's time unknown)
        assertThat(prospects.get(id).jobTitle()).isEqualTo("VP");
        assertThat(org.record("Contact", contactId).get("FirstName")).isEqualTo("Grace");
        assertThat(prospects.get(id).phone()).isEqualTo("+1 555 0002");
        assertThat(org.record("Contact", contactId).get("Phone")).isEqualTo("+1 555 0002");
    }

    @Test
    void aDuplicateRuleParksTheCreationUntilAPersonAllowsTheDuplicate() {
        org.duplicateRule("Lead", "Phone");
        org.create(
                "Lead",
                Map.of(
                        "Email",
                        "other-" + run + "@engines.test",
                        "LastName",
                        "O",
                        "Company",
                        "X",
                        "Phone",
                        "+1 555 0199"));
        String email = "dupe-" + run + "@engines.test";
        long id = kindlingProspect(Map.of(ProspectField.EMAIL, email, ProspectField.PHONE, "+1 555 0199"));
        CrmSync.Status parked = requested(id, false);
        assertThat(parked.salesforceId()).isNull();
        assertThat(parked.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("DUPLICATE");
            assertThat(e.code()).isEqualTo("DUPLICATES_DETECTED");
        });
        assertThat(api.post("/api/v1/prospects/" + id + "/crm-sync", "{\"allowDuplicates\": true}")
                        .status())
                .isEqualTo(202);
        CrmSync.Status allowed = pushed(id);
        assertThat(allowed.salesforceId()).isNotNull();
        assertThat(allowed.errors()).isEmpty();
    }

    @Test
    void aValidationErrorIsParkedWithSalesforcesMessageAndRetriedAfterTheRuleIsRelaxed() {
        Runnable relax =
                org.validationRule("Lead", r -> r.get("Title") == null, "Title is required for new leads", "Title");
        String email = "invalid-" + run + "@engines.test";
        long id = kindlingProspect(Map.of(ProspectField.EMAIL, email));
        CrmSync.Status parked = requested(id, false);
        assertThat(parked.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("VALIDATION");
            assertThat(e.message()).isEqualTo("Title is required for new leads");
            assertThat(e.fields()).containsExactly("Title");
        });
        assertThat(outboxRows(id)).isZero();
        cycle();
        assertThat(org.records("Lead")).isEmpty();

        // the console finds the prospect by email or id: its record, last sync and errors, fields named in words
        UiSession ui = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        for (String query : List.of(email.toUpperCase(), String.valueOf(id))) {
            String found = ui.open("/settings/salesforce?prospect="
                            + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8))
                    .body();
            assertThat(found)
                    .contains("id=\"prospect-crm\"", "Not in Salesforce.", "Title is required for new leads")
                    .contains("title=\"Title\">Job title</span>");
        }
        assertThat(ui.open("/settings/salesforce?prospect=nobody-" + run + "%40engines.test")
                        .body())
                .contains("id=\"prospect-not-found\"")
                .doesNotContain("id=\"prospect-crm\"");
        assertThat(ui.open("/settings/salesforce?prospect=%3Cscript%3E").body())
                .contains("id=\"prospect-not-found\"")
                .doesNotContain("<script>");

        relax.run();
        assertThat(outbox.retryParked(List.of(parked.errors().getFirst().id()))).isEqualTo(1);
        cycle();
        CrmSync.Status synced = crmSync.status(id);
        assertThat(synced.object()).isEqualTo("Lead");
        assertThat(synced.errors()).isEmpty();
        assertThat(jdbc.sql("SELECT resolution FROM salesforce_error WHERE id = :id")
                        .param("id", parked.errors().getFirst().id())
                        .query(String.class)
                        .single())
                .isEqualTo("RETRIED");
    }

    @Test
    void aLockErrorIsRetriedAndTheChangeArrives() {
        String email = "lock-" + run + "@engines.test";
        Linked linked = linkedLead(email, Map.of());
        String leadId = linked.leadId();
        long id = linked.prospectId();
        clock.advance(Duration.ofSeconds(5));
        edit(id, ProspectField.JOB_TITLE, "Locksmith");
        org.fail(FakeOrg.Fault.LOCK, 2);
        SalesforceOutbox.Result pushed =
                connector.withClient(sf -> outbox.push(sf, null)).orElseThrow();
        assertThat(pushed.updated()).isEqualTo(1);
        assertThat(pushed.failed()).isZero();
        assertThat(org.record("Lead", leadId).get("Title")).isEqualTo("Locksmith");
        assertThat(crmSync.status(id).errors()).isEmpty();
    }

    @Test
    void theFieldMappingRefusesSalesforceSystemFieldsAndUnknownRulesAndIsForAdminsOnly() {
        TestApi.Response system = api.put(
                "/api/v1/salesforce/fields",
                "{\"fields\":[{\"field\":\"jobTitle\",\"leadField\":\"SystemModstamp\",\"rule\":\"KINDLING_WINS\"}]}");
        assertThat(system.status()).isEqualTo(400);
        assertThat(system.body()).contains("fields[0].leadField");
        TestApi.Response rule = api.put(
                "/api/v1/salesforce/fields",
                "{\"fields\":[{\"field\":\"jobTitle\",\"leadField\":\"Title\",\"rule\":\"SOMETIMES\"}]}");
        assertThat(rule.status()).isEqualTo(400);
        TestApi.Response score = api.put(
                "/api/v1/salesforce/fields",
                "{\"fields\":[{\"field\":\"score\",\"leadField\":\"pi__score__c\",\"contactField\":\"pi__score__c\","
                        + "\"rule\":\"SALESFORCE_WINS\"}]}");
        assertThat(score.status()).isEqualTo(200);
        // score flows to Salesforce only, whatever was asked
        JsonNode scoreField = null;
        for (JsonNode f : score.json()) {
            if (f.get("field").asString().equals("score")) {
                scoreField = f;
            }
        }
        assertThat(scoreField).isNotNull();
        assertThat(scoreField.get("leadField").asString()).isEqualTo("pi__score__c");
        assertThat(scoreField.get("rule").asString()).isEqualTo("KINDLING_WINS");
        TestApi.Response condition =
                api.put("/api/v1/salesforce/sync-condition", "{\"condition\": {\"stage\": {\"in\": [\"NOPE\"]}}}");
        assertThat(condition.status()).isEqualTo(400);
        assertThat(condition.contentType()).contains("application/problem+json");
        assertThat(api.get("/api/v1/salesforce/sync-condition")
                        .json()
                        .get("condition")
                        .isNull())
                .isTrue();
        TestApi.User marketer = api.user("MARKETING", "marketing-password-" + run);
        assertThat(api.keyOf(marketer.id()).get("/api/v1/salesforce/fields").status())
                .isEqualTo(403);
    }

    @Test
    void theProspectPageShowsTheSalesforcePanelAndItsButtonSyncsTheProspect() {
        String email = "page-" + run + "@engines.test";
        long id = kindlingProspect(Map.of(ProspectField.EMAIL, email, ProspectField.LAST_NAME, "<b>Tag</b>"));
        UiSession ui = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        TestApi.Response page = ui.open("/prospects/" + id);
        assertThat(page.body()).contains("id=\"salesforce-sync\"").contains("Not in Salesforce.");
        TestApi.Response posted = ui.postForm("/prospects/" + id + "/crm-sync", "");
        assertThat(posted.status()).isIn(200, 302, 303);
        String leadId = pushed(id).salesforceId();
        assertThat(org.record("Lead", leadId)).containsEntry("LastName", "<b>Tag</b>");
        TestApi.Response after = ui.open("/prospects/" + id);
        assertThat(after.body()).contains(leadId).doesNotContain("<b>Tag</b>");

        // a pending push: the panel says so and polls itself until the push is done
        edit(id, ProspectField.JOB_TITLE, "Pending");
        String pending = ui.open("/prospects/" + id + "/salesforce-panel").body();
        assertThat(pending)
                .contains("sync pending", "hx-trigger=\"every 2s\"", "/prospects/" + id + "/salesforce-panel")
                .doesNotContain("<b>Tag</b>");
        cycle();
        assertThat(ui.open("/prospects/" + id + "/salesforce-panel").body())
                .contains(leadId, "last synced")
                .doesNotContain("sync pending", "hx-trigger");
        assertThat(ui.open("/prospects/999999999/salesforce-panel").status()).isEqualTo(404);
    }

    @Test
    void theSyncToCrmAutomationActionCreatesLeadsForTheMatchingProspectsThatMeetTheSyncCondition() {
        crmSync.saveCondition(tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree("{\"field\": \"country\", \"op\": \"eq\", \"value\": \"DE\"}"));
        String title = "Buyer " + run;
        JsonNode rule = api.post(
                        "/api/v1/automation-rules",
                        "{\"name\": \"CRM handoff " + run
                                + "\", \"condition\": {\"field\": \"jobTitle\", \"op\": \"eq\"," + " \"value\": \""
                                + title + "\"}, \"actions\": [{\"type\": \"syncToCrm\"}]}")
                .json();
        assertThat(api.post("/api/v1/automation-rules/" + rule.get("id").asLong() + "/resume", "{}")
                        .status())
                .isEqualTo(200);
        String de = "de-" + run + "@engines.test";
        String fr = "fr-" + run + "@engines.test";
        for (String[] p : new String[][] {{de, "DE"}, {fr, "FR"}}) {
            kindlingProspect(
                    Map.of(ProspectField.EMAIL, p[0], ProspectField.COUNTRY, p[1], ProspectField.JOB_TITLE, title));
        }
        assertThat(org.records("Lead")).isEmpty(); // queued, not sent: the next cycle sends it
        cycle();
        assertThat(org.records("Lead"))
                .singleElement()
                .satisfies(lead -> assertThat(lead).containsEntry("Email", de).containsEntry("Title", title));
        assertThat(crmSync.status(prospectOf(fr)).salesforceId()).isNull();
    }

    /** An activity of the prospect, recorded as intake records it (its scoring rule applies). */
    void activity(long prospectId, dev.kindling.engine.activity.ActivityType type) {
        new org.springframework.transaction.support.TransactionTemplate(transactions)
                .executeWithoutResult(s -> intake.apply(List.of(new dev.kindling.intake.NewActivity(
                        type + "-" + UUID.randomUUID(),
                        prospectId,
                        null,
                        null,
                        type,
                        null,
                        clock.instant(),
                        null,
                        Map.of(),
                        false))));
    }

    @Test
    void scoreGradeStageLastActivityAndTheScoreExplanationAreWrittenToTheFieldsTheAdminMapped() {
        fieldMap.save(
                List.of(
                        new SalesforceFieldMap.Input("score", "pi__score__c", "pi__score__c", "KINDLING_WINS", false),
                        new SalesforceFieldMap.Input("grade", "pi__grade__c", "pi__grade__c", "KINDLING_WINS", false),
                        new SalesforceFieldMap.Input("stage", "Stage__c", "Stage__c", "KINDLING_WINS", false),
                        new SalesforceFieldMap.Input(
                                "lastActivity", "pi__last_activity__c", "pi__last_activity__c", "KINDLING_WINS", false),
                        new SalesforceFieldMap.Input(
                                "scoreExplanation",
                                "Score_Explanation__c",
                                "Score_Explanation__c",
                                // flows to Salesforce only, whatever was asked
                                "SALESFORCE_WINS",
                                false)),
                clock.instant());
        Linked linked = linkedLead("scored-" + run + "@engines.test", Map.of("Title", "Director"));
        long id = linked.prospectId();
        clock.advance(Duration.ofSeconds(5));
        activity(id, dev.kindling.engine.activity.ActivityType.WEBINAR_ATTENDED);
        activity(id, dev.kindling.engine.activity.ActivityType.PAGE_VIEW);
        activity(id, dev.kindling.engine.activity.ActivityType.PAGE_VIEW);
        scores.adjust(id, 7, "met at the booth", "admin");
        await("scored")
                .atMost(Duration.ofSeconds(30))
                .until(() -> prospects.get(id).score() == 34);
        cycle();
        Map<String, Object> lead = org.record("Lead", linked.leadId());
        Map<String, Object> p = jdbc.sql("SELECT score, grade, stage, last_activity_at FROM prospect WHERE id = :id")
                .param("id", id)
                .query()
                .singleRow();
        assertThat(new java.math.BigDecimal(String.valueOf(lead.get("pi__score__c"))))
                .isEqualByComparingTo("34");
        assertThat(lead.get("pi__grade__c")).isNotNull().isEqualTo(p.get("grade"));
        assertThat(lead.get("Stage__c")).isNotNull().isEqualTo(p.get("stage"));
        assertThat(SalesforceTimes.parse(String.valueOf(lead.get("pi__last_activity__c"))))
                .isEqualTo(((java.sql.Timestamp) p.get("last_activity_at")).toInstant());
        assertThat(lead.get("Score_Explanation__c"))
                .isEqualTo("Score 34: Webinar attended +25, Page view +2 (2x); manual +7");

        // a score that changes again changes the explanation in the next push; an edit in Salesforce is put back
        clock.advance(Duration.ofSeconds(5));
        org.edit("Lead", linked.leadId(), Map.of("pi__score__c", 999, "Score_Explanation__c", "typed by hand"));
        activity(id, dev.kindling.engine.activity.ActivityType.DEMO_REQUEST);
        await("scored")
                .atMost(Duration.ofSeconds(30))
                .until(() -> prospects.get(id).score() == 84);
        cycle();
        cycle();
        lead = org.record("Lead", linked.leadId());
        assertThat(new java.math.BigDecimal(String.valueOf(lead.get("pi__score__c"))))
                .isEqualByComparingTo("84");
        assertThat(lead.get("Score_Explanation__c"))
                .isEqualTo("Score 84: Demo request +50, Webinar attended +25, Page view +2 (2x); manual +7");
        assertThat(prospects.get(id).score()).isEqualTo(84);
    }

    @Test
    void aScoreExplanationLongerThanASalesforceTextFieldSumsTheRulesThatDoNotFit() {
        long id = kindlingProspect(Map.of(ProspectField.EMAIL, "long-" + run + "@engines.test"));
        List<Long> rules = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rules.add(jdbc.sql("""
                            INSERT INTO scoring_rule (name, activity_type, custom_name, points, created_at, updated_at)
                            VALUES (:name, 'CUSTOM', :custom, 1, now(), now()) RETURNING id""")
                    .param("name", "A rather long rule name number " + i + " " + run)
                    .param("custom", "never-" + run)
                    .query(Long.class)
                    .single());
        }
        for (int i = 0; i < rules.size(); i++) {
            jdbc.sql("""
                            INSERT INTO score_ledger (prospect_id, at, kind, delta, result, rule_id, reason)
                            VALUES (:p, now(), 'ACTIVITY', :d, 0, :r, 'test')""")
                    .param("p", id)
                    .param("d", 20 - i)
                    .param("r", rules.get(i))
                    .update();
        }
        String text = scores.explanations(List.of(id)).get(id);
        assertThat(text).hasSizeLessThanOrEqualTo(dev.kindling.scoring.ProspectScores.EXPLANATION_LENGTH);
        assertThat(text).startsWith("Score 210: A rather long rule name number 0 " + run + " +20, ");
        assertThat(text).matches(".* [0-9]+ more rules \\+[0-9]+$");
        // the parts add up to the score
        long sum = java.util.regex.Pattern.compile("[+-][0-9]+")
                .matcher(text.substring(text.indexOf(':')))
                .results()
                .mapToLong(m -> Long.parseLong(m.group()))
                .sum();
        assertThat(sum).isEqualTo(210);
        // no trace left for other tests: entries written here, not through the scoring module
        jdbc.sql("DELETE FROM score_ledger WHERE prospect_id = :p")
                .param("p", id)
                .update();
        jdbc.sql("DELETE FROM scoring_rule WHERE custom_name = :c")
                .param("c", "never-" + run)
                .update();
    }

    @Test
    void aHandoffIsTheExplicitStepForAProspectSalesforceNeverHadAndOnlyWhenItMatchesTheCondition() {
        TestApi.User rep = api.user("SALES", "sales-password-" + run);
        String repUser = org.create("User", Map.of("Email", rep.email(), "Name", "Rep", "IsActive", true));
        cycle(); // the User is read and matched to the rep
        crmSync.saveCondition(tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree("{\"field\": \"country\", \"op\": \"eq\", \"value\": \"DE\"}"));
        String de = "handoff-de-" + run + "@engines.test";
        String fr = "handoff-fr-" + run + "@engines.test";
        long toSync = kindlingProspect(
                Map.of(ProspectField.EMAIL, de, ProspectField.LAST_NAME, "Weber", ProspectField.COUNTRY, "DE"));
        long notMatching = kindlingProspect(Map.of(ProspectField.EMAIL, fr, ProspectField.COUNTRY, "FR"));
        Linked deleted = linkedLead("handoff-gone-" + run + "@engines.test", Map.of());
        clock.advance(Duration.ofSeconds(5));
        org.delete("Lead", deleted.leadId());
        cycle();
        assertThat(crmSync.status(deleted.prospectId()).deletedInCrm()).isTrue();
        int leads = org.records("Lead").size();

        for (long id : List.of(toSync, notMatching, deleted.prospectId())) {
            assertThat(api.post("/api/v1/prospects/" + id + "/owner", "{\"userId\": " + rep.id() + "}")
                            .status())
                    .isEqualTo(200);
        }
        // queued with the assignment, created by the next cycle with the rep as its Salesforce owner
        assertThat(outboxRows(toSync)).isEqualTo(1);
        assertThat(outboxRows(notMatching)).isZero();
        cycle();
        assertThat(org.records("Lead")).hasSize(leads + 1);
        assertThat(org.records("Lead"))
                .anySatisfy(r -> assertThat(r)
                        .containsEntry("Email", de)
                        .containsEntry("LastName", "Weber")
                        .containsEntry("OwnerId", repUser));
        assertThat(crmSync.status(toSync).salesforceId()).isNotNull();
        assertThat(crmSync.status(notMatching).salesforceId()).isNull();
        // a record deleted in Salesforce is not re-created by a handoff
        assertThat(crmSync.status(deleted.prospectId()).deletedInCrm()).isTrue();
    }

    @Test
    void manyUpdatesGoAsOneBulkApiJobWhereAnUnchangedFieldStaysAndABlankIsWritten() {
        rules(FieldRule.MOST_RECENT, true);
        String[] leads = new String[3];
        for (int i = 0; i < 3; i++) {
            leads[i] =
                    lead("bulk" + i + "-" + run + "@engines.test", Map.of("Title", "Old", "Phone", "+1 555 010" + i));
        }
        cycle();
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            edit(prospectOf("bulk" + i + "-" + run + "@engines.test"), ProspectField.JOB_TITLE, "New " + i);
        }
        edit(prospectOf("bulk0-" + run + "@engines.test"), ProspectField.PHONE, null);
        outbox.bulkThreshold = 2;
        try {
            cycle();
        } finally {
            outbox.bulkThreshold = SalesforceOutbox.BULK_THRESHOLD;
        }
        assertThat(org.requests()).anyMatch(r -> r.contains("jobs/ingest"));
        for (int i = 0; i < 3; i++) {
            assertThat(org.record("Lead", leads[i]).get("Title")).isEqualTo("New " + i);
        }
        assertThat(org.record("Lead", leads[0])).doesNotContainKey("Phone");
        assertThat(org.record("Lead", leads[1]).get("Phone")).isEqualTo("+1 555 0101");
    }

    @Test
    void aMappedCustomFieldSyncsBothWaysUnderItsRulesAndAnUnknownCustomFieldIsRefused() {
        String tier = "tier_" + run.replace('-', '_');
        String seats = "seats_" + run.replace('-', '_');
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"" + tier + "\",\"label\":\"Tier\",\"type\":\"PICKLIST\","
                                        + "\"options\":[\"Gold\",\"Silver\"]}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post(
                                "/api/v1/custom-fields",
                                "{\"name\":\"" + seats + "\",\"label\":\"Seats\",\"type\":\"NUMBER\"}")
                        .status())
                .isEqualTo(201);
        TestApi.Response unknown = api.put(
                "/api/v1/salesforce/fields",
                "{\"fields\":[{\"field\":\"custom.nope_" + run.replace('-', '_')
                        + "\",\"leadField\":\"Nope__c\",\"rule\":\"MOST_RECENT\"}]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).contains("application/problem+json");
        assertThat(unknown.body()).contains("fields[0].field");
        TestApi.Response owner = api.put(
                "/api/v1/salesforce/fields",
                "{\"fields\":[{\"field\":\"owner\",\"leadField\":\"Title\",\"rule\":\"KINDLING_WINS\"}]}");
        assertThat(owner.status()).isEqualTo(400);
        try {
            TestApi.Response mapped = api.put(
                    "/api/v1/salesforce/fields",
                    "{\"fields\":[{\"field\":\"custom." + tier
                            + "\",\"leadField\":\"Tier__c\",\"contactField\":\"Tier__c\",\"rule\":\"SALESFORCE_WINS\"},"
                            + "{\"field\":\"custom." + seats
                            + "\",\"leadField\":\"Seats__c\",\"rule\":\"MOST_RECENT\"}]}");
            assertThat(mapped.status()).isEqualTo(200);
            assertThat(mapped.body()).contains("\"custom." + tier + "\"", "\"owner\"");

            Linked linked = linkedLead("custom-" + run + "@engines.test", Map.of("Tier__c", "Gold", "Seats__c", 12));
            long id = linked.prospectId();
            assertThat(prospects.get(id).custom()).containsEntry(tier, "Gold");
            assertThat(new java.math.BigDecimal(
                            String.valueOf(prospects.get(id).custom().get(seats))))
                    .isEqualByComparingTo("12");

            // a Kindling edit reaches the lead, as a number
            clock.advance(Duration.ofSeconds(5));
            prospects.update(id, new ProspectChanges(Map.of(), Map.of(seats, new java.math.BigDecimal("20"))));
            cycle();
            assertThat(new java.math.BigDecimal(
                            String.valueOf(org.record("Lead", linked.leadId()).get("Seats__c"))))
                    .isEqualByComparingTo("20");

            // Salesforce wins the tier; a value the picklist lacks stays unsynced, Kindling keeps its own
            clock.advance(Duration.ofSeconds(5));
            org.edit("Lead", linked.leadId(), Map.of("Tier__c", "Silver"));
            cycle();
            assertThat(prospects.get(id).custom()).containsEntry(tier, "Silver");
            clock.advance(Duration.ofSeconds(5));
            org.edit("Lead", linked.leadId(), Map.of("Tier__c", "Platinum"));
            cycle();
            assertThat(prospects.get(id).custom()).containsEntry(tier, "Silver");
        } finally {
            fieldMap.save(
                    List.of(
                            new SalesforceFieldMap.Input("custom." + tier, "Tier__c", "Tier__c", "DONT_SYNC", false),
                            new SalesforceFieldMap.Input("custom." + seats, "Seats__c", null, "DONT_SYNC", false)),
                    clock.instant());
        }
    }

    Long owner(long prospectId) {
        return prospects.get(prospectId).ownerId();
    }

    @Test
    void theOwnerFollowsSalesforceMatchedByEmailAndAKindlingReassignmentIsPutBack() {
        TestApi.User ann = api.user("SALES", "sales-password-" + run);
        TestApi.User bob = api.user("SALES", "sales-password-" + run);
        String annUser =
                org.create("User", Map.of("Email", ann.email().toUpperCase(), "Name", "Ann", "IsActive", true));
        String bobUser = org.create("User", Map.of("Email", bob.email(), "Name", "Bob", "IsActive", true));
        String laterEmail = "later-" + run + "@users.example";
        String laterUser = org.create("User", Map.of("Email", laterEmail, "Name", "Later", "IsActive", true));
        // users are read after leads: the first cycle still gives the prospects their owners, in one batch
        String first = lead("owned1-" + run + "@engines.test", Map.of("OwnerId", annUser));
        String second = lead("owned2-" + run + "@engines.test", Map.of("OwnerId", annUser));
        String third = lead("owned3-" + run + "@engines.test", Map.of("OwnerId", laterUser));
        cycle();
        long one = prospectOf("owned1-" + run + "@engines.test");
        long two = prospectOf("owned2-" + run + "@engines.test");
        long three = prospectOf("owned3-" + run + "@engines.test");
        assertThat(owner(one)).isEqualTo(ann.id());
        assertThat(owner(two)).isEqualTo(ann.id());
        assertThat(owner(three)).as("no Kindling user has that email yet").isNull();

        // a reassignment in Kindling is put back: the owner is fixed to Salesforce
        clock.advance(Duration.ofSeconds(5));
        assertThat(api.post("/api/v1/prospects/" + one + "/owner", "{\"userId\": " + bob.id() + "}")
                        .status())
                .isEqualTo(200);
        assertThat(owner(one)).isEqualTo(bob.id());
        cycle();
        assertThat(owner(one)).isEqualTo(ann.id());
        assertThat(org.record("Lead", first).get("OwnerId")).isEqualTo(annUser);

        // a new owner in Salesforce reaches Kindling
        clock.advance(Duration.ofSeconds(5));
        org.edit("Lead", second, Map.of("OwnerId", bobUser));
        cycle();
        assertThat(owner(two)).isEqualTo(bob.id());

        // the user gets a Kindling account; once the User is read again, the records it owns get their owner
        TestApi.Response later =
                api.post("/api/v1/users", "{\"email\":\"" + laterEmail + "\",\"name\":\"Later\",\"role\":\"SALES\"}");
        assertThat(later.status()).isIn(200, 201);
        clock.advance(Duration.ofSeconds(5));
        org.edit("User", laterUser, Map.of("Name", "Later, now in Kindling"));
        cycle();
        assertThat(owner(three)).isEqualTo(later.json().get("id").asLong());
        assertThat(org.record("Lead", third).get("OwnerId")).isEqualTo(laterUser);
    }

    /** Kindling's own touch of a campaign (recorded as intake records activities, in a transaction). */
    void touch(long prospectId, long campaignId, String what) {
        new org.springframework.transaction.support.TransactionTemplate(transactions)
                .executeWithoutResult(s -> intake.apply(List.of(new dev.kindling.intake.NewActivity(
                        what + "-" + UUID.randomUUID(),
                        prospectId,
                        null,
                        null,
                        dev.kindling.engine.activity.ActivityType.CUSTOM,
                        what,
                        clock.instant(),
                        campaignId,
                        Map.of(),
                        false))));
    }

    long memberPushes(long prospectId, String state) {
        return jdbc.sql("SELECT count(*) FROM salesforce_member_push WHERE prospect_id = :p AND "
                        + (state.equals("done") ? "done_at IS NOT NULL" : "next_attempt_at IS NOT NULL"))
                .param("p", prospectId)
                .query(Long.class)
                .single();
    }

    @Test
    void kindlingAddsItsSyncedProspectsTouchingALinkedCampaignAsCampaignMembersOnce() {
        String campaign = org.create("Campaign", Map.of("Name", "Webinar " + run, "Type", "Webinar"));
        Linked linked = linkedLead("member-" + run + "@engines.test", Map.of());
        long kindlingCampaign = jdbc.sql("SELECT campaign_id FROM salesforce_campaign WHERE sf_id = :id")
                .param("id", campaign)
                .query(Long.class)
                .single();
        // Kindling's own touch of the campaign (a webinar attended) queues the member with it
        touch(linked.prospectId(), kindlingCampaign, "Webinar attended");
        assertThat(memberPushes(linked.prospectId(), "due")).isEqualTo(1);
        assertThat(api.get("/api/v1/salesforce/status")
                        .json()
                        .get("backlogMembers")
                        .asLong())
                .isGreaterThanOrEqualTo(1);
        cycle();
        assertThat(org.records("CampaignMember"))
                .singleElement()
                .satisfies(m ->
                        assertThat(m).containsEntry("CampaignId", campaign).containsEntry("LeadId", linked.leadId()));
        assertThat(memberPushes(linked.prospectId(), "done")).isEqualTo(1);
        // read back by the next cycle, the member adds no second touch, and nothing is created twice
        cycle();
        cycle();
        assertThat(org.records("CampaignMember")).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE prospect_id = :p AND campaign_id = :c")
                        .param("p", linked.prospectId())
                        .param("c", kindlingCampaign)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        // a person Salesforce made a member meanwhile: DUPLICATE_VALUE means done, not an error
        Linked other = linkedLead("already-" + run + "@engines.test", Map.of());
        org.create("CampaignMember", Map.of("CampaignId", campaign, "LeadId", other.leadId()));
        touch(other.prospectId(), kindlingCampaign, "Webinar attended");
        CampaignMemberPush.Result pushed =
                connector.withClient(memberPush::push).orElseThrow();
        assertThat(pushed.already()).isEqualTo(1);
        assertThat(pushed.failed()).isZero();
        assertThat(org.records("CampaignMember")).hasSize(2);
        assertThat(memberPushes(other.prospectId(), "done")).isEqualTo(1);
        assertThat(crmSync.status(other.prospectId()).errors()).isEmpty();
    }

    @Test
    void aCampaignMemberSalesforceRefusesIsParkedAndQueuedAgainByARetry() {
        String campaign = org.create("Campaign", Map.of("Name", "Refused " + run, "Type", "Email"));
        Linked linked = linkedLead("refused-" + run + "@engines.test", Map.of());
        org.readOnly("CampaignMember");
        long kindlingCampaign = jdbc.sql("SELECT campaign_id FROM salesforce_campaign WHERE sf_id = :id")
                .param("id", campaign)
                .query(Long.class)
                .single();
        touch(linked.prospectId(), kindlingCampaign, "Email clicked");
        cycle();
        JsonNode groups = api.get("/api/v1/salesforce/errors").json().get("groups");
        JsonNode parked = null;
        for (JsonNode g : groups) {
            for (JsonNode e : g.get("entries")) {
                if ("CampaignMember".equals(e.get("object").asString())
                        && e.get("code").asString().equals("INSUFFICIENT_ACCESS_OR_READONLY")) {
                    parked = e;
                }
            }
        }
        assertThat(parked).as("parked in the error queue").isNotNull();
        assertThat(parked.get("kind").asString()).isEqualTo("PERMISSION");
        assertThat(memberPushes(linked.prospectId(), "due")).isZero();
        cycle(); // parked: not sent again by itself
        assertThat(jdbc.sql("SELECT attempts FROM salesforce_error WHERE id = :id")
                        .param("id", parked.get("id").asLong())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(api.post("/api/v1/salesforce/errors/" + parked.get("id").asLong() + "/retry", "{}")
                        .status())
                .isEqualTo(200);
        assertThat(memberPushes(linked.prospectId(), "due")).isEqualTo(1);
    }
}
