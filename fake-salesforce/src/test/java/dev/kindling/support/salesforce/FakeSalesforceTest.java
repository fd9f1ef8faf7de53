package dev.kindling.support.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.crm.BulkCsv;
import dev.kindling.engine.crm.SalesforceIds;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake answers as Salesforce's REST documentation says, in the shapes recorded by public client test suites
 * (simple-salesforce's, Airbyte's): checked here over plain HTTP, without the connector's client.
 */
class FakeSalesforceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final FakeSalesforce fake = FakeSalesforce.shared();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-05-01T09:00:00Z"));
    FakeOrg org;
    String token;
    String base;

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    @BeforeEach
    void signIn() throws Exception {
        org = fake.newOrg(now::get);
        Reply reply = signInWith(org.clientSecret());
        token = reply.json().get("access_token").asString();
        base = reply.json().get("instance_url").asString() + "/services/data/v66.0/";
    }

    /** The token endpoint's answer to the client credentials flow with this org's client and {@code secret}. */
    Reply signInWith(String secret) throws Exception {
        return post(
                fake.loginUrl() + "/services/oauth2/token",
                "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + org.clientId() + "&client_secret=" + secret,
                false);
    }

    Reply send(String method, String url, String contentType, String body, boolean auth, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (auth) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    Reply post(String url, String contentType, String body, boolean auth) throws Exception {
        return send("POST", url, contentType, body, auth);
    }

    Reply api(String method, String path, String json, String... headers) throws Exception {
        return send(method, base + path, json == null ? null : "application/json", json, true, headers);
    }

    Reply query(String soql, boolean all) throws Exception {
        return api("GET", (all ? "queryAll" : "query") + "?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
    }

    @Test
    void aCompositeRequestRunsItsQueriesInOrderAnswersEachWithItsStatusAndCountsAsOneCall() throws Exception {
        org.create("Lead", Map.of("LastName", "Composite", "Company", "C"));
        long before = org.apiCallsUsed();
        String v = "/services/data/v66.0/";
        Reply reply = api("POST", "composite", """
                {"allOrNone": false, "compositeRequest": [
                  {"method": "GET", "url": "%squeryAll/?q=SELECT+Id,+LastName+FROM+Lead", "referenceId": "leads"},
                  {"method": "GET", "url": "%squeryAll/?q=SELECT+Id+FROM+Nothing", "referenceId": "bad"}]}""".formatted(v, v));
        assertThat(reply.status()).isEqualTo(200);
        JsonNode results = reply.json().get("compositeResponse");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("referenceId").asString()).isEqualTo("leads");
        assertThat(results.get(0).get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(results.get(0).get("body").get("totalSize").asInt()).isEqualTo(1);
        assertThat(results.get(0)
                        .get("body")
                        .get("records")
                        .get(0)
                        .get("LastName")
                        .asString())
                .isEqualTo("Composite");
        assertThat(results.get(1).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(results.get(1).get("body").get(0).get("errorCode").asString())
                .isEqualTo("INVALID_TYPE");
        assertThat(org.apiCallsUsed() - before).isEqualTo(1);
        assertThat(reply.raw().headers().firstValue("Sforce-Limit-Info").orElseThrow())
                .startsWith("api-usage=" + (before + 1) + "/");

        StringBuilder six = new StringBuilder("{\"compositeRequest\": [");
        for (int i = 0; i < 6; i++) {
            six.append(i == 0 ? "" : ",")
                    .append("{\"method\": \"GET\", \"url\": \"")
                    .append(v)
                    .append("queryAll/?q=SELECT+Id+FROM+Lead\", \"referenceId\": \"q")
                    .append(i)
                    .append("\"}");
        }
        Reply tooMany = api("POST", "composite", six.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get(0).get("errorCode").asString()).isEqualTo("LIMIT_EXCEEDED");
    }

    @Test
    void theTokenEndpointAnswersAnAccessTokenWithTheInstanceUrlAndRefusesAWrongSecret() throws Exception {
        Reply ok = signInWith(org.clientSecret());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(ok.json().get("instance_url").asString()).isEqualTo(fake.instanceUrl(org));
        assertThat(ok.json().has("issued_at")).isTrue();
        Reply wrong = post(
                fake.loginUrl() + "/services/oauth2/token",
                "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + org.clientId() + "&client_secret=nope",
                false);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void aJwtBearerAssertionSignedWithTheTrustedKeyIsAcceptedAndAnyOtherRefused() throws Exception {
        KeyPair trusted = keyPair("trusted-jwt-key.pem");
        KeyPair other = keyPair("other-jwt-key.pem");
        org.trustJwtKey(trusted.getPublic());
        long exp = now.get().getEpochSecond() + 180;
        assertThat(jwt(trusted, org.username(), exp).status()).isEqualTo(200);
        assertThat(jwt(other, org.username(), exp).json().get("error").asString())
                .isEqualTo("invalid_grant");
        assertThat(jwt(trusted, "someone@else.test", exp).status()).isEqualTo(400);
        assertThat(jwt(trusted, org.username(), now.get().getEpochSecond() - 1).status())
                .isEqualTo(400);
    }

    /**
     * A fixed 2048-bit RSA key pair from the test's resources (PKCS#8 PEM, made with {@code openssl genpkey}) for tests
     * only: generating one took a second or more of the module's test time (C1 only).
     */
    static KeyPair keyPair(String resource) throws Exception {
        String pem;
        try (InputStream in = FakeSalesforceTest.class.getResourceAsStream(resource)) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""))));
        return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())), key);
    }

    Reply jwt(KeyPair key, String subject, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(JSON.writeValueAsBytes(
                Map.of("iss", org.clientId(), "sub", subject, "aud", fake.loginUrl(), "exp", exp)));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key.getPrivate());
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String assertion = header + "." + claims + "." + b64.encodeToString(s.sign());
        return post(
                fake.loginUrl() + "/services/oauth2/token",
                "application/x-www-form-urlencoded",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion,
                false);
    }

    @Test
    void everyApiAnswerCarriesTheLimitInfoHeaderAndTheLimitsResourceAgrees() throws Exception {
        org.dailyLimit(5_000).apiCallsUsed(17);
        Reply limits = api("GET", "limits", null);
        assertThat(limits.raw().headers().firstValue("Sforce-Limit-Info")).contains("api-usage=18/5000");
        assertThat(limits.json().get("DailyApiRequests").get("Max").asLong()).isEqualTo(5_000);
        assertThat(limits.json().get("DailyApiRequests").get("Remaining").asLong())
                .isEqualTo(4_982);
        Reply missing = api("GET", "sobjects/Lead/00Q000000000000AAA", null);
        assertThat(missing.raw().headers().firstValue("Sforce-Limit-Info")).contains("api-usage=19/5000");
    }

    @Test
    void aMissingOrExpiredSessionIsA401InvalidSessionIdInSalesforcesErrorShape() throws Exception {
        org.expireTokens();
        Reply r = api("GET", "limits", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get(0).get("errorCode").asString()).isEqualTo("INVALID_SESSION_ID");
        assertThat(r.json().get(0).get("message").asString()).isEqualTo("Session expired or invalid");
    }

    @Test
    void aSessionExpiringAfterSomeCallsAnswersThemThenRefusesAndARevokedSecretIsInvalidClient() throws Exception {
        org.expireTokensAfter(2);
        assertThat(api("GET", "limits", null).status()).isEqualTo(200);
        assertThat(api("GET", "limits", null).status()).isEqualTo(200);
        Reply expired = api("GET", "limits", null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get(0).get("errorCode").asString()).isEqualTo("INVALID_SESSION_ID");

        long requested = org.tokenRequests();
        String oldSecret = org.clientSecret();
        org.newClientSecret("rotated-" + oldSecret);
        Reply refused = signInWith(oldSecret);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(refused.json().get("error_description").asString()).isEqualTo("invalid client credentials");
        Reply signedIn = signInWith(org.clientSecret());
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(org.tokenRequests()).isEqualTo(requested + 2);
        token = signedIn.json().get("access_token").asString();
        assertThat(api("GET", "limits", null).status()).isEqualTo(200);
    }

    @Test
    void theDailyAllocationUsedUpIsA403RequestLimitExceeded() throws Exception {
        org.dailyLimit(3).apiCallsUsed(3);
        Reply r = api("GET", "limits", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get(0).get("errorCode").asString()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void aCreateAnswersAnEighteenCharacterIdAndStampsTheRecord() throws Exception {
        Reply r = api("POST", "sobjects/Lead", "{\"LastName\":\"Ng\",\"Company\":\"Acme\",\"Email\":\"ng@acme.test\"}");
        assertThat(r.status()).isEqualTo(201);
        String id = r.json().get("id").asString();
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("errors").isEmpty()).isTrue();
        assertThat(id).hasSize(18).startsWith("00Q");
        assertThat(SalesforceIds.to18(id.substring(0, 15))).isEqualTo(id);
        Reply got = api("GET", "sobjects/Lead/" + id, null);
        assertThat(got.json().get("SystemModstamp").asString()).isEqualTo("2030-05-01T09:00:00.000+0000");
        assertThat(got.json().get("attributes").get("type").asString()).isEqualTo("Lead");

        now.set(Instant.parse("2030-05-01T09:05:00Z"));
        assertThat(api("PATCH", "sobjects/Lead/" + id, "{\"Title\":\"CTO\"}").status())
                .isEqualTo(204);
        assertThat(api("GET", "sobjects/Lead/" + id, null)
                        .json()
                        .get("SystemModstamp")
                        .asString())
                .isEqualTo("2030-05-01T09:05:00.000+0000");
        Reply system = api("PATCH", "sobjects/Lead/" + id, "{\"SystemModstamp\":\"2020-01-01T00:00:00.000+0000\"}");
        assertThat(system.json().get(0).get("errorCode").asString()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
    }

    @Test
    void queriesPageWithNextRecordsUrlUntilDone() throws Exception {
        for (int i = 0; i < 5; i++) {
            org.create("Contact", Map.of("LastName", "P" + i, "Email", "p" + i + "@x.test"));
        }
        org.pageSize(2);
        Reply first = query("SELECT Id, LastName FROM Contact ORDER BY LastName DESC", false);
        assertThat(first.json().get("totalSize").asInt()).isEqualTo(5);
        assertThat(first.json().get("done").asBoolean()).isFalse();
        List<String> names = new ArrayList<>();
        JsonNode page = first.json();
        while (true) {
            page.get("records").forEach(r -> {
                assertThat(r.get("attributes").get("type").asString()).isEqualTo("Contact");
                names.add(r.get("LastName").asString());
            });
            if (page.get("done").asBoolean()) {
                assertThat(page.has("nextRecordsUrl")).isFalse();
                break;
            }
            String next = page.get("nextRecordsUrl").asString();
            assertThat(next).startsWith("/services/data/v66.0/query/01g");
            page = send("GET", fake.instanceUrl(org) + next, null, null, true).json();
        }
        assertThat(names).containsExactly("P4", "P3", "P2", "P1", "P0");
    }

    @Test
    void whereOnSystemModstampAndLimitSelectTheChangedRecords() throws Exception {
        String old = org.create("Lead", Map.of("LastName", "Old", "Company", "A"));
        now.set(Instant.parse("2030-05-01T10:00:00Z"));
        String fresh = org.create("Lead", Map.of("LastName", "Fresh", "Company", "B"));
        org.create("Lead", Map.of("LastName", "Fresher", "Company", "C"));
        Reply r = query(
                "SELECT Id, LastName FROM Lead WHERE SystemModstamp > 2030-05-01T09:30:00Z AND Company IN"
                        + " ('B', 'c') ORDER BY SystemModstamp ASC, Id ASC LIMIT 1",
                false);
        assertThat(r.json().get("records").get(0).get("Id").asString()).isEqualTo(fresh);
        assertThat(r.json().get("totalSize").asInt()).isEqualTo(1);
        assertThat(query("SELECT Id FROM Lead WHERE LastName = 'Old'", false)
                        .json()
                        .get("records")
                        .get(0)
                        .get("Id")
                        .asString())
                .isEqualTo(old);
        Reply bad = query("SELECT Id FROM Lead WHERE LastName = 'a' OR LastName = 'b'", false);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get(0).get("errorCode").asString()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void deletedAndMergedRecordsShowOnlyInQueryAllAndTheDeletedResource() throws Exception {
        String master = org.create("Contact", Map.of("LastName", "Master"));
        String loser = org.create("Contact", Map.of("LastName", "Loser"));
        String gone = org.create("Contact", Map.of("LastName", "Gone"));
        now.set(Instant.parse("2030-05-01T09:10:00Z"));
        org.merge("Contact", master, loser);
        org.delete("Contact", gone);
        assertThat(query("SELECT Id FROM Contact", false)
                        .json()
                        .get("totalSize")
                        .asInt())
                .isEqualTo(1);
        JsonNode all = query(
                        "SELECT Id, IsDeleted, MasterRecordId FROM Contact WHERE IsDeleted = true ORDER BY Id", true)
                .json();
        assertThat(all.get("totalSize").asInt()).isEqualTo(2);
        assertThat(all.get("records").get(0).get("MasterRecordId").asString()).isEqualTo(master);
        assertThat(all.get("records").get(1).get("MasterRecordId").isNull()).isTrue();
        JsonNode deleted = api(
                        "GET",
                        "sobjects/Contact/deleted/?start=2030-05-01T09:00:00%2B00:00"
                                + "&end=2030-05-01T09:30:00%2B00:00",
                        null)
                .json();
        assertThat(deleted.get("deletedRecords")).hasSize(2);
        assertThat(deleted.get("deletedRecords").get(0).get("deletedDate").asString())
                .isEqualTo("2030-05-01T09:10:00.000+0000");
        assertThat(deleted.get("latestDateCovered").asString()).isEqualTo("2030-05-01T09:10:00.000+0000");
        assertThat(deleted.has("earliestDateAvailable")).isTrue();
        Reply update = api("PATCH", "sobjects/Contact/" + gone, "{\"Title\":\"x\"}");
        assertThat(update.json().get(0).get("errorCode").asString()).isEqualTo("ENTITY_IS_DELETED");
    }

    @Test
    void aConvertedLeadNamesItsContactAndRefusesUpdates() throws Exception {
        String lead = org.create("Lead", Map.of("LastName", "Conv", "Company", "Acme", "Email", "c@acme.test"));
        String contact = org.convertLead(lead);
        JsonNode r = query("SELECT Id, IsConverted, ConvertedContactId FROM Lead WHERE Id = '" + lead + "'", false)
                .json()
                .get("records")
                .get(0);
        assertThat(r.get("IsConverted").asBoolean()).isTrue();
        assertThat(r.get("ConvertedContactId").asString()).isEqualTo(contact);
        assertThat(org.record("Contact", contact)).containsEntry("Email", "c@acme.test");
        assertThat(api("PATCH", "sobjects/Lead/" + lead, "{\"Title\":\"x\"}")
                        .json()
                        .get(0)
                        .get("errorCode")
                        .asString())
                .isEqualTo("CANNOT_UPDATE_CONVERTED_LEAD");
    }

    @Test
    void rulesAnswerTheirDocumentedErrorCodesWithTheFieldsInvolved() throws Exception {
        Runnable relax = org.validationRule("Lead", r -> "bad".equals(r.get("Title")), "Title may not be bad", "Title");
        org.requiredField("Lead", "Company");
        org.restrictedPicklist("Lead", "Industry", Set.of("Banking", "Retail"));
        org.duplicateRule("Lead", "Email");
        org.readOnly("Account");
        assertThat(error(api("POST", "sobjects/Lead", "{\"LastName\":\"A\",\"Company\":\"C\",\"Title\":\"bad\"}")))
                .isEqualTo(List.of("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Title may not be bad", "Title"));
        assertThat(error(api("POST", "sobjects/Lead", "{\"LastName\":\"A\"}")).getFirst())
                .isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(error(api("POST", "sobjects/Lead", "{\"LastName\":\"A\",\"Company\":\"C\",\"Industry\":\"X\"}"))
                        .getFirst())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(error(api("POST", "sobjects/Account", "{\"Name\":\"A\"}")).getFirst())
                .isEqualTo("INSUFFICIENT_ACCESS_OR_READONLY");
        relax.run();
        assertThat(api(
                                "POST",
                                "sobjects/Lead",
                                "{\"LastName\":\"A\",\"Company\":\"C\",\"Title\":\"bad\"," + "\"Email\":\"d@x.test\"}")
                        .status())
                .isEqualTo(201);
        assertThat(error(api("POST", "sobjects/Lead", "{\"LastName\":\"B\",\"Company\":\"C\",\"Email\":\"D@x.test\"}"))
                        .getFirst())
                .isEqualTo("DUPLICATES_DETECTED");
        assertThat(api(
                                "POST",
                                "sobjects/Lead",
                                "{\"LastName\":\"B\",\"Company\":\"C\",\"Email\":\"D@x.test\"}",
                                "Sforce-Duplicate-Rule-Header",
                                "allowSave=true; includeRecordDetails=false")
                        .status())
                .isEqualTo(201);
    }

    static List<String> error(Reply r) {
        assertThat(r.status()).isEqualTo(400);
        JsonNode e = r.json().get(0);
        List<String> out = new ArrayList<>(
                List.of(e.get("errorCode").asString(), e.get("message").asString()));
        e.get("fields").forEach(f -> out.add(f.asString()));
        return out;
    }

    @Test
    void upsertByExternalIdCreatesOnceThenUpdates() throws Exception {
        Reply created = api("PATCH", "sobjects/Contact/Email/u%40x.test", "{\"LastName\":\"U\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("created").asBoolean()).isTrue();
        Reply updated = api("PATCH", "sobjects/Contact/Email/u%40x.test", "{\"LastName\":\"V\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("created").asBoolean()).isFalse();
        assertThat(updated.json().get("id").asString())
                .isEqualTo(created.json().get("id").asString());
        assertThat(org.records("Contact"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("LastName", "V"));
    }

    @Test
    void compositeCollectionsHonourAllOrNoneAndRefuseMoreThan200Records() throws Exception {
        org.requiredField("Contact", "LastName");
        String records = "[{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"Ok\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"FirstName\":\"NoLast\"}]";
        JsonNode none = api("POST", "composite/sobjects", "{\"allOrNone\":true,\"records\":" + records + "}")
                .json();
        assertThat(none.get(0).get("success").asBoolean()).isFalse();
        assertThat(none.get(0).get("errors").get(0).get("statusCode").asString())
                .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(none.get(1).get("errors").get(0).get("statusCode").asString())
                .isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(org.records("Contact")).isEmpty();
        JsonNode some = api("POST", "composite/sobjects", "{\"allOrNone\":false,\"records\":" + records + "}")
                .json();
        assertThat(some.get(0).get("success").asBoolean()).isTrue();
        assertThat(some.get(0).get("id").asString()).hasSize(18);
        assertThat(some.get(1).get("success").asBoolean()).isFalse();
        assertThat(org.records("Contact")).hasSize(1);

        String id = some.get(0).get("id").asString();
        JsonNode update = api(
                        "PATCH",
                        "composite/sobjects",
                        "{\"allOrNone\":false,\"records\":[{\"attributes\":" + "{\"type\":\"Contact\"},\"Id\":\"" + id
                                + "\",\"Title\":\"VP\"}]}")
                .json();
        assertThat(update.get(0).get("success").asBoolean()).isTrue();
        assertThat(org.record("Contact", id)).containsEntry("Title", "VP");

        StringBuilder many = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 201; i++) {
            many.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"N\"}");
        }
        Reply tooMany = api("POST", "composite/sobjects", many.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get(0).get("errorCode").asString()).isEqualTo("EXCEEDED_ID_LIMIT");
    }

    @Test
    void bulkIngestJobsRunFromOpenThroughUploadCompleteToJobCompleteWithPerRowResults() throws Exception {
        org.requiredField("Contact", "LastName");
        String job = api(
                        "POST",
                        "jobs/ingest",
                        "{\"object\":\"Contact\",\"operation\":\"insert\","
                                + "\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}")
                .json()
                .get("id")
                .asString();
        assertThat(api("GET", "jobs/ingest/" + job, null).json().get("state").asString())
                .isEqualTo("Open");
        assertThat(send(
                                "PUT",
                                base + "jobs/ingest/" + job + "/batches",
                                "text/csv",
                                "LastName,Email\nOne,\"one@x.test\"\n,two@x.test\n",
                                true)
                        .status())
                .isEqualTo(201);
        assertThat(api("PATCH", "jobs/ingest/" + job, "{\"state\":\"UploadComplete\"}")
                        .status())
                .isEqualTo(200);
        JsonNode info = api("GET", "jobs/ingest/" + job, null).json();
        assertThat(info.get("state").asString()).isEqualTo("JobComplete");
        assertThat(info.get("numberRecordsProcessed").asInt()).isEqualTo(2);
        assertThat(info.get("numberRecordsFailed").asInt()).isEqualTo(1);
        List<Map<String, String>> ok = BulkCsv.read(
                api("GET", "jobs/ingest/" + job + "/successfulResults", null).body());
        assertThat(ok).singleElement().satisfies(r -> {
            assertThat(r.get("sf__Created")).isEqualTo("true");
            assertThat(r.get("Email")).isEqualTo("one@x.test");
            assertThat(r.get("sf__Id")).hasSize(18);
        });
        List<Map<String, String>> failed = BulkCsv.read(
                api("GET", "jobs/ingest/" + job + "/failedResults", null).body());
        assertThat(failed)
                .singleElement()
                .satisfies(r -> assertThat(r.get("sf__Error")).startsWith("REQUIRED_FIELD_MISSING:"));
    }

    @Test
    void bulkQueryJobsAnswerCsvPagesWithALocator() throws Exception {
        for (int i = 0; i < 5; i++) {
            org.create("Account", Map.of("Name", "Acc, \"" + i + "\""));
        }
        JsonNode created = api(
                        "POST",
                        "jobs/query",
                        "{\"operation\":\"query\",\"query\":\"SELECT Id, Name FROM Account" + " ORDER BY Name\"}")
                .json();
        String job = created.get("id").asString();
        // as documented: UploadComplete when created, InProgress, then JobComplete; no results before that
        assertThat(created.get("state").asString()).isEqualTo("UploadComplete");
        assertThat(created.get("jobType").asString()).isEqualTo("V2Query");
        assertThat(api("GET", "jobs/query/" + job, null).json().get("state").asString())
                .isEqualTo("InProgress");
        Reply early = api("GET", "jobs/query/" + job + "/results", null);
        assertThat(early.status()).isEqualTo(412);
        assertThat(early.json().get(0).get("errorCode").asString()).isEqualTo("JOB_NOT_COMPLETE");
        assertThat(early.json().get(0).get("message").asString()).endsWith("Current status: INPROGRESS");
        JsonNode complete = api("GET", "jobs/query/" + job, null).json();
        assertThat(complete.get("state").asString()).isEqualTo("JobComplete");
        assertThat(complete.get("numberRecordsProcessed").asInt()).isEqualTo(5);
        assertThat(api("GET", "jobs/query/" + job + "/results?maxRecords=0", null)
                        .status())
                .isEqualTo(400);
        Reply first = api("GET", "jobs/query/" + job + "/results?maxRecords=3", null);
        assertThat(first.raw().headers().firstValue("Sforce-Locator")).contains("3");
        assertThat(first.raw().headers().firstValue("Sforce-NumberOfRecords")).contains("3");
        assertThat(BulkCsv.read(first.body()))
                .extracting(r -> r.get("Name"))
                .containsExactly("Acc, \"0\"", "Acc, \"1\"", "Acc, \"2\"");
        Reply last = api("GET", "jobs/query/" + job + "/results?maxRecords=3&locator=3", null);
        assertThat(last.raw().headers().firstValue("Sforce-Locator")).contains("null");
        assertThat(BulkCsv.read(last.body())).hasSize(2);
    }

    @Test
    void bulkQueryResultsAreUntypedCsvWithDateTimesInUtcAndTheJobsCountAgainstTheDailyLimit() throws Exception {
        org.create("Account", Map.of("Name", "Typed", "NumberOfEmployees", 12));
        long before = api("GET", "limits", null)
                .json()
                .get("DailyBulkV2QueryJobs")
                .get("Remaining")
                .asLong();
        String job = api(
                        "POST",
                        "jobs/query",
                        "{\"operation\":\"queryAll\",\"query\":\"SELECT Id, Name, NumberOfEmployees, Website,"
                                + " IsDeleted, SystemModstamp FROM Account\"}")
                .json()
                .get("id")
                .asString();
        api("GET", "jobs/query/" + job, null);
        api("GET", "jobs/query/" + job, null);
        Reply results = api("GET", "jobs/query/" + job + "/results", null);
        assertThat(results.raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(results.raw().headers().firstValue("Sforce-Locator")).contains("null");
        Map<String, String> row = BulkCsv.read(results.body()).getFirst();
        assertThat(row)
                .containsEntry("Name", "Typed")
                .containsEntry("NumberOfEmployees", "12")
                .containsEntry("Website", "")
                .containsEntry("IsDeleted", "false");
        assertThat(row.get("SystemModstamp")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(api("GET", "limits", null)
                        .json()
                        .get("DailyBulkV2QueryJobs")
                        .get("Remaining")
                        .asLong())
                .isEqualTo(before - 1);
    }

    @Test
    void injectedFaultsAnswerLocksOutagesAndNonJsonBodies() throws Exception {
        org.fail(FakeOrg.Fault.LOCK, 1).fail(FakeOrg.Fault.UNAVAILABLE, 1).fail(FakeOrg.Fault.TOO_MANY_REQUESTS, 1);
        Reply lock = api("GET", "limits", null);
        assertThat(lock.status()).isEqualTo(400);
        assertThat(lock.json().get(0).get("errorCode").asString()).isEqualTo("UNABLE_TO_LOCK_ROW");
        Reply down = api("GET", "limits", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body()).startsWith("<html>");
        assertThat(api("GET", "limits", null).status()).isEqualTo(429);
        assertThat(api("GET", "limits", null).status()).isEqualTo(200);
    }

    @Test
    void campaignMembersAreCreatedByCollectionsOncePerPersonAsSalesforceDocuments() throws Exception {
        String campaign = org.create("Campaign", Map.of("Name", "Webinar"));
        String lead = org.create("Lead", Map.of("LastName", "Member", "Company", "C"));
        String records = """
                [{"attributes":{"type":"CampaignMember"},"CampaignId":"%s","LeadId":"%s"},
                 {"attributes":{"type":"CampaignMember"},"CampaignId":"%s","LeadId":"%s"},
                 {"attributes":{"type":"CampaignMember"},"CampaignId":"%s"},
                 {"attributes":{"type":"CampaignMember"},"CampaignId":"%s","LeadId":"00Q000000000000AAA"}]""".formatted(campaign, lead, campaign, lead, campaign, campaign);
        JsonNode results = api("POST", "composite/sobjects", "{\"allOrNone\":false,\"records\":" + records + "}")
                .json();
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asString())
                .isEqualTo("DUPLICATE_VALUE");
        assertThat(results.get(1).get("errors").get(0).get("message").asString())
                .isEqualTo("Already a campaign member.");
        assertThat(results.get(2).get("errors").get(0).get("statusCode").asString())
                .isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(results.get(3).get("errors").get(0).get("statusCode").asString())
                .isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(org.records("CampaignMember"))
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("LeadId", lead)
                        .containsEntry("Status", "Sent")
                        .containsEntry("HasResponded", false));
    }

    @Test
    void aCampaignIsCreatedBySObjectPostOrCollectionWithItsNameRequiredAndAtMost80Characters() throws Exception {
        Reply created = api("POST", "sobjects/Campaign", "{\"Name\":\"Spring launch\",\"ActualCost\":1200.5}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(id).hasSize(18).startsWith("701");
        assertThat(org.record("Campaign", id))
                .containsEntry("Name", "Spring launch")
                .containsKey("SystemModstamp");
        assertThat(((Number) org.record("Campaign", id).get("ActualCost")).doubleValue())
                .isEqualTo(1200.5);
        assertThat(error(api("POST", "sobjects/Campaign", "{\"ActualCost\":3}")))
                .isEqualTo(List.of("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", "Name"));
        String tooLong = "x".repeat(81);
        assertThat(error(api("POST", "sobjects/Campaign", "{\"Name\":\"" + tooLong + "\"}")))
                .isEqualTo(List.of(
                        "STRING_TOO_LONG",
                        "Campaign Name: data value too large: " + tooLong + " (max length=80)",
                        "Name"));
        JsonNode results = api(
                        "POST",
                        "composite/sobjects",
                        "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Campaign\"},\"Name\":\"A\"},"
                                + "{\"attributes\":{\"type\":\"Campaign\"},\"Name\":\"\"}]}")
                .json();
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(0).get("id").asString()).startsWith("701");
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asString())
                .isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(org.records("Campaign"))
                .extracting(r -> r.get("Name"))
                .containsExactlyInAnyOrder("Spring launch", "A");
    }
}
