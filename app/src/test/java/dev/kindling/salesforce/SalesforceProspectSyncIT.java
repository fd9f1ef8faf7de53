package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

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
                .noneMatch(r -> r.startsWith("PATCH") || r.startsWith("POST"));
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
        JsonNode synced =
                api.post("/api/v1/prospects/" + id + "/crm-sync", "{}").json();
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
        CrmSync.Status status = crmSync.request(id, false);
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
        CrmSync.Status parked = crmSync.request(id, false);
        assertThat(parked.salesforceId()).isNull();
        assertThat(parked.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("DUPLICATE");
            assertThat(e.code()).isEqualTo("DUPLICATES_DETECTED");
        });
        JsonNode allowed = api.post("/api/v1/prospects/" + id + "/crm-sync", "{\"allowDuplicates\": true}")
                .json();
        assertThat(allowed.get("salesforceId").isNull()).isFalse();
        assertThat(allowed.get("errors")).isEmpty();
    }

    @Test
    void aValidationErrorIsParkedWithSalesforcesMessageAndRetriedAfterTheRuleIsRelaxed() {
        Runnable relax =
                org.validationRule("Lead", r -> r.get("Title") == null, "Title is required for new leads", "Title");
        String email = "invalid-" + run + "@engines.test";
        long id = kindlingProspect(Map.of(ProspectField.EMAIL, email));
        CrmSync.Status parked = crmSync.request(id, false);
        assertThat(parked.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("VALIDATION");
            assertThat(e.message()).isEqualTo("Title is required for new leads");
            assertThat(e.fields()).containsExactly("Title");
        });
        assertThat(outboxRows(id)).isZero();
        cycle();
        assertThat(org.records("Lead")).isEmpty();

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
        String leadId = crmSync.status(id).salesforceId();
        assertThat(org.record("Lead", leadId)).containsEntry("LastName", "<b>Tag</b>");
        TestApi.Response after = ui.open("/prospects/" + id);
        assertThat(after.body()).contains(leadId).doesNotContain("<b>Tag</b>");
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
}
