package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.salesforce.SalesforceClient.ClientCredentials;
import dev.kindling.salesforce.SalesforceClient.JwtBearer;
import dev.kindling.salesforce.SalesforceClient.LimitReached;
import dev.kindling.salesforce.SalesforceClient.SalesforceException;
import dev.kindling.salesforce.SalesforceClient.SaveResult;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the fake Salesforce: sign-in, paging, error handling, collections and Bulk API 2.0. */
class SalesforceClientTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant NOW = Instant.parse("2030-05-01T09:00:00Z");

    final FakeSalesforce fake = FakeSalesforce.shared();
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    FakeOrg org;
    SalesforceClient client;

    @BeforeEach
    void connect() {
        org = fake.newOrg(() -> NOW);
        client = client(new ClientCredentials(org.clientId(), org.clientSecret()));
    }

    SalesforceClient client(SalesforceClient.Credentials credentials) {
        return new SalesforceClient(
                fake.loginUrl(),
                "v66.0",
                credentials,
                HTTP,
                Clock.fixed(NOW, ZoneOffset.UTC),
                pauses::add,
                new Random(1));
    }

    @Test
    void signsInWithClientCredentialsAndUsesTheInstanceUrlOfTheTokenAnswer() {
        client.limits();
        assertThat(client.instanceUrl()).isEqualTo(fake.instanceUrl(org));
        assertThat(org.requests()).containsExactly("GET /limits");
        SalesforceClient wrong = client(new ClientCredentials(org.clientId(), "wrong"));
        assertThatThrownBy(wrong::limits)
                .isInstanceOf(SalesforceException.class)
                .hasMessageContaining("invalid_client");
    }

    @Test
    void signsInWithAJwtBearerAssertionSignedByTheConfiguredKey() throws Exception {
        KeyPair key = testKeyPair();
        org.trustJwtKey(key.getPublic());
        SalesforceClient jwt = client(new JwtBearer(org.clientId(), org.username(), key.getPrivate()));
        assertThat(jwt.limits()).containsKey("DailyApiRequests");
        SalesforceClient otherUser = client(new JwtBearer(org.clientId(), "nobody@x.test", key.getPrivate()));
        assertThatThrownBy(otherUser::limits).hasMessageContaining("invalid_grant");
    }

    /**
     * A fixed 2048-bit RSA key pair for tests only, read as the connection's configured key is ({@link
     * SalesforceSettings#privateKey}, PKCS#8 PEM from the test's resources, made with {@code openssl genpkey}):
     * generating one took a second or more of the unit tests' time (C1 only).
     */
    static KeyPair testKeyPair() throws Exception {
        String pem;
        try (InputStream in = SalesforceClientTest.class.getResourceAsStream("jwt-key.pem")) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) SalesforceSettings.privateKey(pem);
        return new KeyPair(
                KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())),
                key);
    }

    @Test
    void readsTheLimitInfoOfEveryAnswer() {
        org.dailyLimit(10_000).apiCallsUsed(41);
        client.limits();
        assertThat(client.usage().used()).isEqualTo(42);
        assertThat(client.usage().max()).isEqualTo(10_000);
        client.query("SELECT Id FROM Lead", false);
        assertThat(client.usage().used()).isEqualTo(43);
        assertThat(client.calls()).isEqualTo(2);
    }

    @Test
    void pagesThroughAQueryAndRefreshesAnExpiredTokenOnceMidway() {
        for (int i = 0; i < 7; i++) {
            org.create("Lead", Map.of("LastName", "L" + i, "Company", "C"));
        }
        org.pageSize(3);
        List<Object> names = new ArrayList<>();
        int[] pages = {0};
        client.queryEachPage("SELECT Id, LastName FROM Lead ORDER BY LastName", false, page -> {
            pages[0]++;
            page.records().forEach(r -> names.add(r.get("LastName")));
            if (pages[0] == 1) {
                org.expireTokens(); // the session times out between two pages
            }
        });
        assertThat(names).containsExactly("L0", "L1", "L2", "L3", "L4", "L5", "L6");
        assertThat(pages[0]).isEqualTo(3);
        assertThat(pauses).isEmpty();
    }

    @Test
    void readsTheFirstPagesOfManyQueriesFiveToACompositeCallAndHandlesEachSubrequestsErrorAsAlone() {
        org.create("Lead", Map.of("LastName", "First", "Company", "C"));
        org.create("Account", Map.of("Name", "Acme"));
        List<String> soqls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            soqls.add("SELECT Id, LastName FROM Lead");
            soqls.add("SELECT Id, Name FROM Account");
        }
        org.failSubrequests(FakeOrg.Fault.LOCK, 1); // the first subrequest is locked: read again alone
        long before = client.calls();
        List<SalesforceClient.QueryPage> pages = client.firstPages(soqls);
        assertThat(pages).hasSize(8);
        for (int i = 0; i < 8; i += 2) {
            assertThat(pages.get(i).records().getFirst().get("LastName")).isEqualTo("First");
            assertThat(pages.get(i + 1).records().getFirst().get("Name")).isEqualTo("Acme");
        }
        assertThat(client.calls() - before).isEqualTo(3); // two composite calls and the locked query alone
        assertThat(org.requests().stream().filter(r -> !r.endsWith("(composite)")))
                .startsWith("POST /composite")
                .hasSize(3);
        assertThatThrownBy(() -> client.firstPages(List.of("SELECT Id FROM Lead", "SELECT Id FROM Nothing")))
                .isInstanceOf(SalesforceException.class)
                .hasMessageContaining("INVALID_TYPE");
        org.dailyLimit(100).apiCallsUsed(100);
        assertThatThrownBy(() -> client.firstPages(soqls)).isInstanceOf(LimitReached.class);
    }

    @Test
    void retriesLocksOutagesTooManyRequestsAndNonJsonAnswersWithGrowingJitteredPauses() {
        org.fail(FakeOrg.Fault.LOCK, 1)
                .fail(FakeOrg.Fault.UNAVAILABLE, 1)
                .fail(FakeOrg.Fault.TOO_MANY_REQUESTS, 1)
                .fail(FakeOrg.Fault.NON_JSON, 1);
        assertThat(client.limits()).containsKey("DailyApiRequests");
        assertThat(pauses).hasSize(4);
        for (int i = 0; i < 4; i++) {
            long ceiling = 500L << i;
            assertThat(pauses.get(i).toMillis()).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void givesUpAfterTheLastRetry() {
        org.fail(FakeOrg.Fault.UNAVAILABLE, 10);
        assertThatThrownBy(client::limits)
                .isInstanceOf(SalesforceException.class)
                .hasMessageContaining("kept failing (503)");
        assertThat(pauses).hasSize(4);
    }

    @Test
    void stopsWhenTheOrgsDailyAllocationIsUsedUp() {
        org.dailyLimit(100).apiCallsUsed(100);
        assertThatThrownBy(client::limits)
                .isInstanceOf(LimitReached.class)
                .hasMessageContaining("REQUEST_LIMIT_EXCEEDED");
        assertThat(pauses).isEmpty();
    }

    @Test
    void aRecordsOwnErrorIsReturnedWithItsCodeMessageAndFields() {
        Runnable relax =
                org.validationRule("Lead", r -> r.get("Phone") == null, "Phone is required for leads", "Phone");
        SaveResult refused = client.create("Lead", Map.of("LastName", "V", "Company", "C"), false);
        assertThat(refused.success()).isFalse();
        assertThat(refused.error()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
            assertThat(e.message()).isEqualTo("Phone is required for leads");
            assertThat(e.fields()).containsExactly("Phone");
        });
        relax.run();
        SaveResult created = client.create("Lead", Map.of("LastName", "V", "Company", "C"), false);
        assertThat(created.success()).isTrue();
        assertThat(client.get("Lead", created.id()))
                .hasValueSatisfying(r -> assertThat(r).containsEntry("LastName", "V"));
        assertThat(client.update("Lead", created.id(), Map.of("Title", "CTO"), false)
                        .success())
                .isTrue();
        assertThat(client.delete("Lead", created.id()).success()).isTrue();
        assertThat(client.get("Lead", created.id())).isEmpty();
        assertThat(client.update("Lead", created.id(), Map.of("Title", "x"), false)
                        .error()
                        .orElseThrow()
                        .code())
                .isEqualTo("ENTITY_IS_DELETED");
    }

    @Test
    void duplicateRulesBlockUnlessTheWriteAsksToSaveAnyway() {
        org.duplicateRule("Contact", "Email");
        assertThat(client.create("Contact", Map.of("LastName", "A", "Email", "a@x.test"), false)
                        .success())
                .isTrue();
        assertThat(client.create("Contact", Map.of("LastName", "B", "Email", "a@x.test"), false)
                        .error()
                        .orElseThrow()
                        .code())
                .isEqualTo("DUPLICATES_DETECTED");
        assertThat(client.create("Contact", Map.of("LastName", "B", "Email", "a@x.test"), true)
                        .success())
                .isTrue();
    }

    @Test
    void upsertsByExternalId() {
        SaveResult first = client.upsert("Contact", "Email", "e x@x.test", Map.of("LastName", "E"), false);
        SaveResult second = client.upsert("Contact", "Email", "e x@x.test", Map.of("LastName", "F"), false);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
    }

    @Test
    void collectionsSend200RecordsPerCallAndReportEachRecord() {
        org.requiredField("Contact", "LastName");
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("LastName", i == 201 ? null : "N" + i);
            r.put("Email", "n" + i + "@x.test");
            records.add(r);
        }
        List<SaveResult> results = client.createAll("Contact", records, false, false);
        assertThat(results).hasSize(450);
        assertThat(results.get(201).error().orElseThrow().code()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(results.stream().filter(SaveResult::success).count()).isEqualTo(449);
        assertThat(org.requests())
                .filteredOn(r -> r.equals("POST /composite/sobjects"))
                .hasSize(3);

        org.fail(FakeOrg.Fault.LOCK, 1);
        List<Map<String, Object>> updates =
                List.of(Map.of("Id", results.getFirst().id(), "Title", "VP"));
        assertThat(client.updateAll("Contact", updates, true, false))
                .singleElement()
                .satisfies(r -> assertThat(r.success()).isTrue());
        assertThat(org.record("Contact", results.getFirst().id())).containsEntry("Title", "VP");
        assertThat(pauses).hasSize(1);
    }

    @Test
    void listsDeletedRecordsOfAWindow() {
        String id = org.create("Contact", Map.of("LastName", "D"));
        org.delete("Contact", id);
        SalesforceClient.Deleted deleted = client.deleted("Contact", NOW.minusSeconds(60), NOW.plusSeconds(60));
        assertThat(deleted.ids()).containsExactly(id);
        assertThat(deleted.deletedAt()).containsEntry(id, NOW);
        assertThat(deleted.latestDateCovered()).isEqualTo(NOW);
    }

    @Test
    void bulkIngestAndQueryJobsRunToTheEndWithPerRowResults() {
        org.requiredField("Contact", "LastName");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("Email", "bulk" + i + "@x.test");
            row.put("LastName", i == 7 ? "" : "Bulk, \"" + i + "\"");
            rows.add(row);
        }
        SalesforceClient.BulkResult result = client.bulkIngest("Contact", "upsert", "Email", rows);
        assertThat(result.succeeded()).hasSize(2_499);
        assertThat(result.failed()).singleElement().satisfies(r -> {
            assertThat(r.get("Email")).isEqualTo("bulk7@x.test");
            assertThat(r.get("sf__Error")).startsWith("REQUIRED_FIELD_MISSING");
        });
        List<Map<String, String>> read = new ArrayList<>();
        int[] pages = {0};
        client.bulkQuery("SELECT Id, Email, LastName FROM Contact ORDER BY Email", 1_000, page -> {
            pages[0]++;
            read.addAll(page);
        });
        assertThat(pages[0]).isEqualTo(3);
        assertThat(read).hasSize(2_499);
        assertThat(read)
                .filteredOn(r -> r.get("Email").equals("bulk3@x.test"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("LastName")).isEqualTo("Bulk, \"3\""));
        // a bulk job of thousands of records is a handful of calls
        assertThat(client.calls()).isLessThan(15);
    }
}
