package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Salesforce accounts reach Kindling through the incremental poll, against the fake Salesforce: created, updated,
 * linked to the account of their website's domain, deleted; the watermark stored after each page; an idle poll is
 * one call. Each test has its own org and unique names (shared context and database).
 */
@IntegrationTest
class SalesforceAccountSyncIT {

    @LocalServerPort
    int port;

    @Autowired
    AccountSync sync;

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
        org = FakeSalesforce.shared().newOrg();
        client = FakeOrgClients.of(org);
    }

    JsonNode account(String domain) {
        JsonNode list = api.get("/api/v1/accounts?domain=" + domain).json();
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    Long linkedAccount(String sfId) {
        return jdbc.sql("SELECT account_id FROM salesforce_account WHERE sf_id = :id")
                .param("id", sfId)
                .query(Long.class)
                .optional()
                .orElse(null);
    }

    @Test
    void aLargeInitialSyncIsReadByABulkApiQueryJobAndTheNextPollByRestPagesFromItsWatermark() {
        // the first sync of accounts (a new connection): no watermark yet, and more records than the Bulk threshold
        jdbc.sql("DELETE FROM salesforce_watermark WHERE object = 'Account'").update();
        int count = PagedPoll.BULK_THRESHOLD + 500;
        for (int i = 0; i < count; i++) {
            org.create(
                    "Account",
                    Map.of(
                            "Name",
                            "Bulk " + i + " " + run,
                            "Website",
                            "https://bulk-" + i + "-" + run + ".test",
                            "NumberOfEmployees",
                            i));
        }
        int logged = org.requests().size();
        AccountSync.Result first = sync.poll(client);
        assertThat(first.created()).isEqualTo(count);
        List<String> initial = org.requests().subList(logged, org.requests().size());
        assertThat(initial)
                .anyMatch(r -> r.startsWith("POST /jobs/query"))
                .anyMatch(r -> r.startsWith("GET /jobs/query/") && r.contains("/results"))
                .as("no further REST page")
                .noneMatch(r -> r.startsWith("GET /query/"));
        // CSV values arrive typed as REST has them
        JsonNode account = account("bulk-7-" + run + ".test");
        assertThat(account.get("name").asString()).isEqualTo("Bulk 7 " + run);
        assertThat(account.get("employees").asInt()).isEqualTo(7);

        // the next poll reads REST pages from the watermark the job left, and writes nothing again
        logged = org.requests().size();
        AccountSync.Result next = sync.poll(client);
        assertThat(next.created() + next.updated()).isZero();
        assertThat(next.skipped()).isEqualTo(count);
        assertThat(org.requests().subList(logged, org.requests().size())).noneMatch(r -> r.contains("jobs/query"));
    }

    @Test
    void newAndChangedSalesforceAccountsAppearInKindlingAndAnIdlePollIsOneCall() {
        String id = org.create(
                "Account",
                Map.of(
                        "Name",
                        "Acme " + run,
                        "Website",
                        "https://www.acme-" + run + ".test/about",
                        "Industry",
                        "Manufacturing",
                        "NumberOfEmployees",
                        250,
                        "BillingCountry",
                        "DE"));
        AccountSync.Result first = sync.poll(client);
        assertThat(first.created()).isGreaterThanOrEqualTo(1);
        JsonNode account = account("acme-" + run + ".test");
        assertThat(account.get("name").asString()).isEqualTo("Acme " + run);
        assertThat(account.get("industry").asString()).isEqualTo("Manufacturing");
        assertThat(account.get("employees").asInt()).isEqualTo(250);
        assertThat(account.get("country").asString()).isEqualTo("DE");
        assertThat(linkedAccount(id)).isEqualTo(account.get("id").asLong());

        long calls = client.calls();
        AccountSync.Result idle = sync.poll(client);
        assertThat(idle.created() + idle.updated()).isZero();
        assertThat(client.calls() - calls).isEqualTo(1);

        org.edit("Account", id, Map.of("Name", "Acme Renamed " + run, "Industry", " "));
        AccountSync.Result second = sync.poll(client);
        assertThat(second.updated()).isEqualTo(1);
        JsonNode renamed = account("acme-" + run + ".test");
        assertThat(renamed.get("name").asString()).isEqualTo("Acme Renamed " + run);
        // a blank in Salesforce does not erase Kindling's value
        assertThat(renamed.get("industry").asString()).isEqualTo("Manufacturing");
    }

    @Test
    void anAccountChangedAgainWithinTheSecondOfItsLastReadIsWrittenAndAnUnchangedReReadIsSkipped() {
        // Salesforce's stamps have whole seconds: this org's clock stands still, so every write has the same stamp
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        org = FakeSalesforce.shared().newOrg(() -> second);
        client = FakeOrgClients.of(org);
        String id = org.create("Account", Map.of("Name", "Same second " + run, "Website", "same-" + run + ".test"));
        sync.poll(client);
        AccountSync.Result reread = sync.poll(client);
        assertThat(reread.created() + reread.updated()).isZero();
        assertThat(reread.skipped()).isEqualTo(1);

        org.edit("Account", id, Map.of("Name", "Same second renamed " + run));
        AccountSync.Result changed = sync.poll(client);
        assertThat(changed.updated()).isEqualTo(1);
        assertThat(account("same-" + run + ".test").get("name").asString()).isEqualTo("Same second renamed " + run);
        assertThat(sync.poll(client).skipped()).isEqualTo(1);
    }

    @Test
    void aSalesforceAccountWithTheWebsiteOfAnExistingAccountIsLinkedToItNotDuplicated() {
        String domain = "globex-" + run + ".test";
        assertThat(api.post("/api/v1/prospects", "{\"email\":\"ann@" + domain + "\",\"company\":\"Globex\"}")
                        .status())
                .isIn(200, 201);
        long existing = account(domain).get("id").asLong();
        String id = org.create("Account", Map.of("Name", "Globex Corporation", "Website", "globex-" + run + ".test"));
        sync.poll(client);
        assertThat(linkedAccount(id)).isEqualTo(existing);
        assertThat(account(domain).get("name").asString()).isEqualTo("Globex Corporation");
        assertThat(account(domain).get("prospects").asInt()).isEqualTo(1);
    }

    @Test
    void aDeletedSalesforceAccountIsMarkedOnItsLinkAndTheKindlingAccountStays() {
        String id = org.create("Account", Map.of("Name", "Initech " + run, "Website", "initech-" + run + ".test"));
        sync.poll(client);
        org.delete("Account", id);
        assertThat(sync.poll(client).deleted()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT deleted_at IS NOT NULL FROM salesforce_account WHERE sf_id = :id")
                        .param("id", id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(account("initech-" + run + ".test").get("name").asString()).isEqualTo("Initech " + run);
    }

    @Test
    void eachPageIsCommittedWithTheWatermarkSoAFailureMidwayKeepsWhatWasRead() {
        org.pageSize(2);
        String[] ids = new String[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = org.create(
                    "Account", Map.of("Name", "Paged " + i + " " + run, "Website", "paged" + i + "-" + run + ".test"));
        }
        client.limits(); // signed in, so the faults below hit the sync's own requests
        // the first page is read, then the second keeps failing until the retries are exhausted
        org.failAfter(1, FakeOrg.Fault.UNAVAILABLE, 5);
        assertThatThrownBy(() -> sync.poll(client)).isInstanceOf(SalesforceClient.SalesforceException.class);
        assertThat(linkedAccount(ids[0])).isNotNull();
        assertThat(linkedAccount(ids[1])).isNotNull();
        assertThat(linkedAccount(ids[4])).isNull();
        AccountSync.Result resumed = sync.poll(client);
        assertThat(linkedAccount(ids[4])).isNotNull();
        // the overlap window re-reads the first page, which is skipped: nothing is written twice
        assertThat(resumed.skipped()).isGreaterThanOrEqualTo(2);
        assertThat(resumed.created()).isEqualTo(3);
    }
}
