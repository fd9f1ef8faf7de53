package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Opportunities, contact roles, campaigns, members and users reach Kindling from the fake Salesforce through the
 * owners' APIs, with the same funnel effects as Kindling's own opportunities; refused records are parked and clear
 * when they go through; deletes are followed. Each test has its own org and unique names (shared context).
 */
@IntegrationTest
class SalesforceOpportunitySyncIT {

    @LocalServerPort
    int port;

    @Autowired
    IncrementalPoll poll;

    @Autowired
    OpportunitySync opportunitySync;

    @Autowired
    ContactRoleSync roleSync;

    @Autowired
    CampaignSync campaignSync;

    @Autowired
    CampaignMemberSync memberSync;

    @Autowired
    UserSync userSync;

    @Autowired
    DeleteCheck deletes;

    @Autowired
    JdbcClient jdbc;

    TestApi api;
    FakeOrg org;
    SalesforceClient client;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        use(FakeSalesforce.shared().newOrg());
    }

    void use(FakeOrg newOrg) {
        org = newOrg;
        client = FakeOrgClients.of(org);
    }

    long prospect(String email) {
        TestApi.Response created = api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}");
        assertThat(created.status()).isIn(200, 201);
        return created.json().get("id").asLong();
    }

    String stage(long prospectId) {
        return api.get("/api/v1/prospects/" + prospectId).json().get("stage").asString();
    }

    void pollOpportunitiesAndRoles() {
        poll.poll(client, opportunitySync);
        poll.poll(client, roleSync);
    }

    long kindlingOpportunity(String sfId) {
        return jdbc.sql("SELECT opportunity_id FROM salesforce_opportunity WHERE sf_id = :id")
                .param("id", sfId)
                .query(Long.class)
                .single();
    }

    JsonNode openErrors(String object, String sfId) {
        List<Map<String, Object>> rows = jdbc.sql("""
                        SELECT kind, code, message, fields FROM salesforce_error
                         WHERE object = :object AND sf_id = :id AND resolved_at IS NULL""")
                .param("object", object)
                .param("id", sfId)
                .query((rs, n) -> Map.<String, Object>of(
                        "kind", rs.getString(1),
                        "code", rs.getString(2),
                        "message", rs.getString(3),
                        "fields", List.of((String[]) rs.getArray(4).getArray())))
                .list();
        return SalesforceClient.JSON.valueToTree(rows);
    }

    String opportunity(String contactId, Map<String, Object> fields) {
        String opportunity = org.create("Opportunity", fields);
        org.create(
                "OpportunityContactRole",
                Map.of(
                        "OpportunityId",
                        opportunity,
                        "ContactId",
                        contactId,
                        "Role",
                        "Decision Maker",
                        "IsPrimary",
                        true));
        return opportunity;
    }

    @Test
    void anOpportunityFromSalesforceMakesItsContactAnSqlAndWinningItThereMakesTheProspectACustomer() {
        String email = "ann-" + run + "@won.test";
        long ann = prospect(email);
        String contact = org.create("Contact", Map.of("LastName", "Ann", "Email", email.toUpperCase()));
        String sfOpportunity = opportunity(
                contact,
                Map.of(
                        "Name",
                        "Big deal " + run,
                        "Amount",
                        12_500.5,
                        "StageName",
                        "Negotiation/Review",
                        "Probability",
                        80,
                        "CloseDate",
                        "2030-03-31",
                        "Type",
                        "New Customer",
                        "IsClosed",
                        false,
                        "IsWon",
                        false));
        pollOpportunitiesAndRoles();

        long id = kindlingOpportunity(sfOpportunity);
        JsonNode o = api.get("/api/v1/opportunities/" + id).json();
        assertThat(o.get("status").asString()).isEqualTo("OPEN");
        assertThat(o.get("source").asString()).isEqualTo("salesforce");
        assertThat(o.get("stage").asString()).isEqualTo("Negotiation/Review");
        assertThat(o.get("amount").decimalValue()).isEqualByComparingTo("12500.50");
        assertThat(o.get("probability").asInt()).isEqualTo(80);
        assertThat(o.get("type").asString()).isEqualTo("NEW_BUSINESS");
        assertThat(o.get("closeDate").asString()).isEqualTo("2030-03-31");
        assertThat(o.get("createdAt").asString())
                .isEqualTo(Instant.parse(org.record("Opportunity", sfOpportunity)
                                .get("CreatedDate")
                                .toString()
                                .replace("+0000", "Z"))
                        .toString());
        assertThat(o.get("contactRoles").get(0).get("prospectId").asLong()).isEqualTo(ann);
        assertThat(o.get("contactRoles").get(0).get("role").asString()).isEqualTo("DECISION_MAKER");
        assertThat(stage(ann)).isEqualTo("SQL");

        // won in Salesforce: by IsClosed/IsWon, whatever the stage is called there
        org.edit("Opportunity", sfOpportunity, Map.of("IsClosed", true, "IsWon", true, "StageName", "Signed"));
        pollOpportunitiesAndRoles();
        JsonNode won = api.get("/api/v1/opportunities/" + id).json();
        assertThat(won.get("status").asString()).isEqualTo("WON");
        assertThat(won.get("stage").asString()).isEqualTo("Signed");
        assertThat(stage(ann)).isEqualTo("CUSTOMER");
        JsonNode activities =
                api.get("/api/v1/prospects/" + ann + "/activities").json().get("items");
        assertThat(activities.findValuesAsString("type")).contains("OPPORTUNITY_CREATED", "OPPORTUNITY_WON");
        // the same effects as a built-in opportunity, at Salesforce's times: created when the contact joined the deal
        // (its role's CreatedDate), and the scoring rule of a created opportunity
        String roleCreated = org.records("OpportunityContactRole").stream()
                .filter(r -> sfOpportunity.equals(r.get("OpportunityId")))
                .findFirst()
                .orElseThrow()
                .get("CreatedDate")
                .toString();
        for (JsonNode a : activities) {
            if (a.get("type").asString().equals("OPPORTUNITY_CREATED")) {
                assertThat(Instant.parse(a.get("occurredAt").asString()))
                        .isEqualTo(Instant.parse(roleCreated.replace("+0000", "Z")));
            }
        }
        JsonNode byRule = api.get("/api/v1/prospects/" + ann + "/score").json().get("byRule");
        assertThat(byRule)
                .anySatisfy(r -> assertThat(
                                r.get("name").asString() + " " + r.get("points").asLong())
                        .isEqualTo("Opportunity created 50"));

        // a later edit of the won deal changes its values, not when it was won
        org.edit("Opportunity", sfOpportunity, Map.of("Amount", 13_000));
        pollOpportunitiesAndRoles();
        JsonNode edited = api.get("/api/v1/opportunities/" + id).json();
        assertThat(edited.get("amount").decimalValue()).isEqualByComparingTo("13000");
        assertThat(edited.get("closedAt").asString())
                .isEqualTo(won.get("closedAt").asString());
    }

    @Test
    void anOpportunityLostInSalesforceRecyclesAProspectWithNothingButLostDeals() {
        String email = "bob-" + run + "@lost.test";
        long bob = prospect(email);
        String contact = org.create("Contact", Map.of("LastName", "Bob", "Email", email));
        String sfOpportunity = opportunity(
                contact,
                Map.of("Name", "Lost deal " + run, "StageName", "Qualification", "IsClosed", false, "IsWon", false));
        pollOpportunitiesAndRoles();
        assertThat(stage(bob)).isEqualTo("SQL");
        org.edit("Opportunity", sfOpportunity, Map.of("IsClosed", true, "IsWon", false, "StageName", "Closed Lost"));
        pollOpportunitiesAndRoles();
        assertThat(api.get("/api/v1/opportunities/" + kindlingOpportunity(sfOpportunity))
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("LOST");
        assertThat(stage(bob)).isEqualTo("RECYCLED");
    }

    @Test
    void aContactAddedToAnOpportunityAlreadyWonInSalesforceBecomesACustomerAtOnce() {
        String email = "cy-" + run + "@late.test";
        long cy = prospect(email);
        String contact = org.create("Contact", Map.of("LastName", "Cy", "Email", email));
        opportunity(
                contact,
                Map.of("Name", "Closed before sync " + run, "StageName", "Won", "IsClosed", true, "IsWon", true));
        pollOpportunitiesAndRoles();
        assertThat(stage(cy)).isEqualTo("CUSTOMER");
    }

    @Test
    void anOpportunitySyncedFromSalesforceIsReadOnlyInKindling() {
        String contact = org.create("Contact", Map.of("LastName", "Dee", "Email", "dee-" + run + "@ro.test"));
        prospect("dee-" + run + "@ro.test");
        String sfOpportunity =
                opportunity(contact, Map.of("Name", "Read-only " + run, "StageName", "Prospecting", "IsClosed", false));
        pollOpportunitiesAndRoles();
        long id = kindlingOpportunity(sfOpportunity);

        TestApi.Response patch = api.patch("/api/v1/opportunities/" + id, "{\"name\":\"Renamed\"}");
        assertThat(patch.status()).isEqualTo(409);
        assertThat(patch.contentType()).startsWith("application/problem+json");
        assertThat(patch.json().get("detail").asString()).contains("synced from Salesforce");
        assertThat(api.post("/api/v1/opportunities/" + id + "/won", "{}").status())
                .isEqualTo(409);
        assertThat(api.post("/api/v1/opportunities/" + id + "/lost", "{\"reason\":\"PRICE\"}")
                        .status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/opportunities/" + id).json().get("name").asString())
                .isEqualTo("Read-only " + run);
    }

    @Test
    void anOpportunityKindlingRefusesIsParkedWithTheReasonAndClearsWhenFixedInSalesforce() {
        String sfOpportunity = org.create(
                "Opportunity",
                Map.of("Name", "Negative " + run, "Amount", -5, "StageName", "Prospecting", "IsClosed", false));
        poll.poll(client, opportunitySync);
        JsonNode parked = openErrors("Opportunity", sfOpportunity);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).get("kind").asString()).isEqualTo("VALIDATION");
        assertThat(parked.get(0).get("message").asString()).contains("amount must not be negative");
        assertThat(parked.get(0).get("fields").get(0).asString()).isEqualTo("Amount");

        // read again unchanged (a retry): still refused, one entry with two attempts
        poll.reread(client, opportunitySync, List.of(sfOpportunity));
        assertThat(jdbc.sql("SELECT attempts FROM salesforce_error WHERE sf_id = :id AND resolved_at IS NULL")
                        .param("id", sfOpportunity)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);

        org.edit("Opportunity", sfOpportunity, Map.of("Amount", 5));
        poll.poll(client, opportunitySync);
        assertThat(openErrors("Opportunity", sfOpportunity)).isEmpty();
        assertThat(api.get("/api/v1/opportunities/" + kindlingOpportunity(sfOpportunity))
                        .json()
                        .get("amount")
                        .decimalValue())
                .isEqualByComparingTo("5");
    }

    @Test
    void aContactRoleWhoseContactIsNoProspectIsParkedUnmatchedAndARetryLinksItOnceTheProspectExists() {
        String email = "eve-" + run + "@later.test";
        String contact = org.create("Contact", Map.of("LastName", "Eve", "Email", email));
        String sfOpportunity = org.create(
                "Opportunity", Map.of("Name", "Unmatched " + run, "StageName", "Prospecting", "IsClosed", false));
        String role = org.create(
                "OpportunityContactRole",
                Map.of("OpportunityId", sfOpportunity, "ContactId", contact, "Role", "Evaluator"));
        pollOpportunitiesAndRoles();
        JsonNode parked = openErrors("OpportunityContactRole", role);
        assertThat(parked.get(0).get("kind").asString()).isEqualTo("UNMATCHED");
        assertThat(parked.get(0).get("code").asString()).isEqualTo("NO_PROSPECT");

        long eve = prospect(email);
        poll.reread(client, roleSync, List.of(role));
        assertThat(openErrors("OpportunityContactRole", role)).isEmpty();
        assertThat(stage(eve)).isEqualTo("SQL");
        JsonNode roles = api.get("/api/v1/opportunities/" + kindlingOpportunity(sfOpportunity))
                .json()
                .get("contactRoles");
        assertThat(roles.get(0).get("role").asString()).isEqualTo("EVALUATOR");
    }

    @Test
    void deletedOpportunitiesAndContactRolesAreFollowedByTheQueryAndByDeletedRecords() {
        // Salesforce lists deletes to the second before its answer: this org's clock is a few seconds behind ours
        use(FakeSalesforce.shared().newOrg(() -> Instant.now().minusSeconds(5)));
        String email = "fay-" + run + "@gone.test";
        long fay = prospect(email);
        String contact = org.create("Contact", Map.of("LastName", "Fay", "Email", email));
        String first =
                opportunity(contact, Map.of("Name", "Deleted " + run, "StageName", "Prospecting", "IsClosed", false));
        String second = org.create(
                "Opportunity", Map.of("Name", "Role removed " + run, "StageName", "Prospecting", "IsClosed", false));
        String role = org.create(
                "OpportunityContactRole", Map.of("OpportunityId", second, "ContactId", contact, "Role", "Influencer"));
        String third = org.create(
                "Opportunity", Map.of("Name", "Purged " + run, "StageName", "Prospecting", "IsClosed", false));
        pollOpportunitiesAndRoles();
        long firstId = kindlingOpportunity(first);
        long secondId = kindlingOpportunity(second);
        long thirdId = kindlingOpportunity(third);
        deletes.check(client, opportunitySync); // the first check only notes the time

        org.delete("Opportunity", first);
        org.delete("OpportunityContactRole", role);
        pollOpportunitiesAndRoles();
        assertThat(api.get("/api/v1/opportunities/" + firstId).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/opportunities/" + secondId).json().get("contactRoles"))
                .isEmpty();
        assertThat(api.get("/api/v1/prospects/" + fay + "/opportunities").json().get("items"))
                .isEmpty();

        // emptied from the recycle bin: queryAll no longer sees it, /deleted/ does
        org.hardDelete("Opportunity", third);
        pollOpportunitiesAndRoles();
        assertThat(api.get("/api/v1/opportunities/" + thirdId).status()).isEqualTo(200);
        assertThat(deletes.check(client, opportunitySync)).isEqualTo(1);
        assertThat(api.get("/api/v1/opportunities/" + thirdId).status()).isEqualTo(404);
    }

    @Test
    void campaignsArriveWithTheirCostAndMembersBecomeTouchesOfTheirCampaign() {
        String email = "gus-" + run + "@touch.test";
        long gus = prospect(email);
        String parent =
                org.create("Campaign", Map.of("Name", "Events " + run, "Type", "Conference", "BudgetedCost", 900));
        String webinar = org.create(
                "Campaign",
                Map.of(
                        "Name",
                        "Webinar " + run,
                        "Type",
                        "Webinar",
                        "ActualCost",
                        1500.25,
                        "BudgetedCost",
                        2000,
                        "StartDate",
                        "2026-11-01",
                        "ParentId",
                        parent));
        String contact = org.create("Contact", Map.of("LastName", "Gus", "Email", email));
        String member = org.create(
                "CampaignMember",
                Map.of("CampaignId", webinar, "ContactId", contact, "Status", "Attended", "HasResponded", true));
        String stranger = org.create("Contact", Map.of("LastName", "Nobody", "Email", "nobody-" + run + "@touch.test"));
        String unmatched = org.create("CampaignMember", Map.of("CampaignId", webinar, "ContactId", stranger));
        poll.poll(client, campaignSync);
        SyncCounts members = poll.poll(client, memberSync);
        assertThat(members.created()).isEqualTo(1);
        assertThat(members.failed()).isEqualTo(1);

        long campaignId = jdbc.sql("SELECT campaign_id FROM salesforce_campaign WHERE sf_id = :id")
                .param("id", webinar)
                .query(Long.class)
                .single();
        long parentId = jdbc.sql("SELECT campaign_id FROM salesforce_campaign WHERE sf_id = :id")
                .param("id", parent)
                .query(Long.class)
                .single();
        JsonNode campaign = api.get("/api/v1/campaigns/" + campaignId).json();
        assertThat(campaign.get("name").asString()).isEqualTo("Webinar " + run);
        assertThat(campaign.get("channel").asString()).isEqualTo("WEBINAR");
        assertThat(campaign.get("cost").decimalValue()).isEqualByComparingTo("1500.25");
        assertThat(campaign.get("startDate").asString()).isEqualTo("2026-11-01");
        assertThat(campaign.get("parentId").asLong()).isEqualTo(parentId);
        assertThat(api.get("/api/v1/campaigns/" + parentId).json().get("cost").decimalValue())
                .isEqualByComparingTo("900");

        JsonNode touches =
                api.get("/api/v1/prospects/" + gus + "/activities").json().get("items");
        assertThat(touches).hasSize(1);
        assertThat(touches.get(0).get("type").asString()).isEqualTo("CUSTOM");
        assertThat(touches.get(0).get("customName").asString()).isEqualTo(CampaignMemberSync.TOUCH);
        assertThat(touches.get(0).get("campaignId").asLong()).isEqualTo(campaignId);
        assertThat(touches.get(0).get("properties").get("status").asString()).isEqualTo("Attended");
        assertThat(openErrors("CampaignMember", unmatched).get(0).get("code").asString())
                .isEqualTo("NO_PROSPECT");

        // a changed member is read again, but its touch is not repeated
        org.edit("CampaignMember", member, Map.of("Status", "Responded"));
        poll.poll(client, memberSync);
        assertThat(api.get("/api/v1/prospects/" + gus + "/activities").json().get("items"))
                .hasSize(1);
    }

    @Test
    void salesforceUsersAreMatchedToKindlingUsersByEmail() {
        TestApi.User rep = api.user("SALES", "sales-password-" + run);
        String matched =
                org.create("User", Map.of("Email", rep.email().toUpperCase(), "Name", "Rep " + run, "IsActive", true));
        String unmatched = org.create(
                "User", Map.of("Email", "elsewhere-" + run + "@users.test", "Name", "Other", "IsActive", true));
        poll.poll(client, userSync);
        assertThat(userSync.ownerOf(matched)).contains(rep.id());
        assertThat(userSync.ownerOf(unmatched)).isEmpty();
    }

    @Test
    void aChangeWithinTheSameSystemModstampSecondAsTheLastReadIsStillSeenAndAnUnchangedReReadWritesNothing() {
        // Salesforce's stamps have whole seconds: this org's clock stands still, so every write has the same stamp
        Instant second = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        use(FakeSalesforce.shared().newOrg(() -> second));
        String sfOpportunity =
                org.create("Opportunity", Map.of("Name", "Same second " + run, "StageName", "Open", "IsClosed", false));
        poll.poll(client, opportunitySync);
        SyncCounts reread = poll.poll(client, opportunitySync);
        assertThat(reread.updated()).isZero();
        assertThat(reread.skipped()).isEqualTo(1);

        org.edit("Opportunity", sfOpportunity, Map.of("StageName", "Negotiation"));
        SyncCounts changed = poll.poll(client, opportunitySync);
        assertThat(changed.updated()).isEqualTo(1);
        assertThat(api.get("/api/v1/opportunities/" + kindlingOpportunity(sfOpportunity))
                        .json()
                        .get("stage")
                        .asString())
                .isEqualTo("Negotiation");
    }

    @Test
    void salesforcesCloseTimeIsTheEndOfTheCloseDateWhenTheRecordWasClosedLaterAndNeverBeforeItsCreation() {
        Instant created = Instant.parse("2026-03-01T10:00:00Z");
        Map<String, Object> record = new java.util.HashMap<>(Map.of(
                "Name", "x",
                "IsClosed", true,
                "IsWon", true,
                "CreatedDate", "2026-03-01T10:00:00.000+0000",
                "LastModifiedDate", "2026-03-20T08:00:00.000+0000",
                "CloseDate", "2026-03-10"));
        assertThat(OpportunitySync.synced(record, Map.of(), Map.of()).closedAt())
                .isEqualTo(LocalDate.parse("2026-03-11")
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .minusMillis(1));
        record.put("CloseDate", "2026-02-01");
        assertThat(OpportunitySync.synced(record, Map.of(), Map.of()).closedAt())
                .isEqualTo(created);
        record.put("CloseDate", "2026-04-01");
        assertThat(OpportunitySync.synced(record, Map.of(), Map.of()).closedAt())
                .isEqualTo(Instant.parse("2026-03-20T08:00:00Z"));
    }
}
