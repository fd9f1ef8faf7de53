package dev.kindling.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook subscriptions, the outbox API and the rule actions notifyUser and callWebhook, in the shared context (no
 * SMTP server: mail stays LOCAL). Every rule is limited to this run's email domain and deleted afterwards.
 */
@IntegrationTest
// alone among the shared context's classes: counts every webhook subscription
@ResourceLock(IntegrationTest.SHARED_DATA)
class NotificationsApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WebhookOutbox webhooks;

    TestApi api;
    String run;
    String domain;
    final List<String> cleanup = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
        domain = "@notify-" + run + ".example";
    }

    @AfterEach
    void cleanUp() {
        cleanup.forEach(path -> api.send(api.request(path).DELETE().build()));
    }

    @Test
    void badSubscriptionsAreRefusedWithEveryFieldAndNothingIsStored() {
        int before = api.get("/api/v1/webhooks").json().size();
        for (String[] c : new String[][] {
            {"{\"url\":\"ftp://hooks.example/x\",\"events\":[\"prospect.assigned\"]}", "url"},
            {"{\"url\":\"not a url\",\"events\":[\"prospect.assigned\"]}", "url"},
            {"{\"url\":\"https://user:pw@hooks.example/x\",\"events\":[\"prospect.assigned\"]}", "url"},
            {"{\"url\":\"/relative\",\"events\":[\"prospect.assigned\"]}", "url"},
            {"{\"url\":\"https://hooks.example/x\",\"events\":[]}", "events"},
            {"{\"url\":\"https://hooks.example/x\",\"events\":[\"Prospect Assigned!\"]}", "events[0]"},
            {"{\"url\":\"https://hooks.example/x\"}", "events"},
            {"{\"url\":\"https://hooks.example/x\",\"events\":[\"*\"],\"secret\":\"mine\"}", "secret"}
        }) {
            TestApi.Response r = api.post("/api/v1/webhooks", c[0]);
            assertThat(r.status()).as(c[0] + " → " + r.body()).isEqualTo(400);
            assertThat(r.json().get("errors").findValuesAsString("field"))
                    .as(c[0])
                    .containsExactly(c[1]);
        }
        assertThat(api.get("/api/v1/webhooks").json().size()).isEqualTo(before);
    }

    @Test
    void onlyAdminsManageWebhooksAndOnlyAdminAndMarketingReadTheOutbox() {
        TestApi marketing = keyFor("MARKETING");
        TestApi sales = keyFor("SALES");
        assertThat(marketing.get("/api/v1/webhooks").status()).isEqualTo(403);
        assertThat(marketing
                        .post("/api/v1/webhooks", "{\"url\":\"https://x.example\",\"events\":[\"*\"]}")
                        .status())
                .isEqualTo(403);
        assertThat(marketing.get("/api/v1/outbox").status()).isEqualTo(200);
        assertThat(sales.get("/api/v1/outbox").status()).isEqualTo(403);
        assertThat(api.get("/api/v1/outbox?status=NOPE").status()).isEqualTo(400);
    }

    @Test
    void aNotifyUserRuleMailsTheOwnerAndAFixedUserWithMergedPlainTextAndCallsTheSubscriptions() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            List<WebhookReceiver.Call> calls = receiver.calls();
            TestApi.Response sub = api.post("/api/v1/webhooks", """
                    {"url":"%s","events":["rule.notification"]}""".formatted(receiver.url()));
            assertThat(sub.status()).as(sub.body()).isEqualTo(201);
            cleanup.add("/api/v1/webhooks/" + sub.json().get("id").asLong());
            String secret = sub.json().get("secret").asString();
            assertThat(secret).startsWith("whsec_");

            long owner = user("owner");
            long boss = user("boss");
            long p = prospect("{\"email\":\"lead-%s%s\",\"company\":\"{{email}} Corp\"}".formatted(run, domain));
            // the API refuses control characters; older data or a direct import may still hold one
            jdbc.sql("UPDATE prospect SET owner_id = :o, first_name = :f WHERE id = :p")
                    .param("o", owner)
                    .param("f", "Ann\r\nBcc: evil@x.example")
                    .param("p", p)
                    .update();
            long unowned = prospect("{\"email\":\"nobody-%s%s\"}".formatted(run, domain));

            long rule = rule("""
                    {"name":"Tell owner %s","condition":%s,"actions":[
                      {"type":"notifyUser","userId":"owner","subject":"Hot lead {{firstName}}","message":"{{firstName}} at {{company}} (score {{score}})"},
                      {"type":"notifyUser","userId":%d,"subject":"FYI","message":"{{email}}"}]}""".formatted(run, mine(), boss));
            TestApi.Response resumed = api.post("/api/v1/automation-rules/" + rule + "/resume", "");
            assertThat(resumed.json().get("matched").asLong())
                    .as(resumed.body())
                    .isEqualTo(2);

            JsonNode toOwner = outboxTo("owner-" + run + domain);
            assertThat(toOwner).hasSize(1).as("the unowned prospect's owner mail is skipped");
            JsonNode mail = api.get("/api/v1/outbox/" + toOwner.get(0).get("id").asLong())
                    .json();
            assertThat(mail.get("status").asString()).isEqualTo("LOCAL");
            assertThat(mail.get("kind").asString()).isEqualTo("NOTIFICATION");
            assertThat(mail.get("subject").asString()).isEqualTo("Hot lead Ann Bcc: evil@x.example");
            assertThat(mail.get("text").asString())
                    .isEqualTo("Ann Bcc: evil@x.example at {{email}} Corp (score 0)" + "\n\n" + TestApi.PUBLIC_URL
                            + "/prospects/" + p);
            assertThat(mail.get("prospectId").asLong()).isEqualTo(p);
            assertThat(outboxTo("boss-" + run + domain)).hasSize(2);
            assertThat(unowned).isPositive();

            await().atMost(Duration.ofSeconds(15)).until(() -> calls.size() == 3);
            assertThat(calls)
                    .allSatisfy(call -> assertThat(call.isSignedWith(secret)).isTrue());
            List<JsonNode> payloads =
                    calls.stream().map(WebhookReceiver.Call::json).toList();
            assertThat(payloads)
                    .allSatisfy(j -> assertThat(j.get("event").asString()).isEqualTo("rule.notification"));
            assertThat(payloads).anySatisfy(j -> {
                assertThat(j.get("data").get("prospectId").asLong()).isEqualTo(p);
                assertThat(j.get("data").get("rule").get("id").asLong()).isEqualTo(rule);
                assertThat(j.get("data").get("recipients").get(0).get("id").asLong())
                        .isEqualTo(owner);
            });
        }
    }

    @Test
    void aNotificationWithoutASubjectIsTitledAfterTheRuleThatSentIt() {
        long owner = user("titled");
        long p = prospect("{\"email\":\"lead-titled-%s%s\"}".formatted(run, domain));
        jdbc.sql("UPDATE prospect SET owner_id = :o WHERE id = :p")
                .param("o", owner)
                .param("p", p)
                .update();
        long rule = rule("""
                {"name":"Untitled %s","condition":%s,"actions":[{"type":"notifyUser","message":"{{email}} is here"}]}""".formatted(run, mine()));
        assertThat(api.get("/api/v1/automation-rules/" + rule)
                        .json()
                        .get("actions")
                        .get(0)
                        .toString())
                .as("the owner is the default recipient, written as such")
                .isEqualTo("{\"type\":\"notifyUser\",\"userId\":\"owner\",\"message\":\"{{email}} is here\"}");
        api.post("/api/v1/automation-rules/" + rule + "/resume", "");

        JsonNode mails = outboxTo("titled-" + run + domain);
        assertThat(mails).hasSize(1);
        JsonNode mail =
                api.get("/api/v1/outbox/" + mails.get(0).get("id").asLong()).json();
        assertThat(mail.get("subject").asString()).isEqualTo("Rule \"Untitled " + run + "\"");
        assertThat(mail.get("text").asString()).startsWith("lead-titled-" + run + domain + " is here");
    }

    @Test
    void aNotifyUserActionNamingNoActiveUserOrAnUnknownMergeFieldIsRefused() {
        String bad = """
                {"name":"bad","condition":%s,"actions":[
                  {"type":"notifyUser","userId":987654321,"subject":"s","message":"m"},
                  {"type":"notifyUser","userId":"owner","subject":"s","message":"{{password}}"},
                  {"type":"notifyUser","userId":"everyone","subject":"","message":"m"}]}""".formatted(mine());
        TestApi.Response r = api.post("/api/v1/automation-rules", bad);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("actions[0].userId", "actions[1].message", "actions[2].userId");
    }

    @Test
    void theCallWebhookRuleActionIsSignedWithTheRuleSigningSecret() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            List<WebhookReceiver.Call> calls = receiver.calls();
            String secret = api.post("/api/v1/webhooks/rule-secret", "")
                    .json()
                    .get("secret")
                    .asString();
            prospect("{\"email\":\"hook-%s%s\"}".formatted(run, domain));
            long rule = rule("""
                    {"name":"Hook %s","condition":%s,"actions":[{"type":"callWebhook","url":"%s"}]}""".formatted(run, mine(), receiver.url()));
            api.post("/api/v1/automation-rules/" + rule + "/resume", "");
            await().atMost(Duration.ofSeconds(15)).until(() -> calls.size() == 1);
            WebhookReceiver.Call call = calls.getFirst();
            assertThat(call.isSignedWith(secret)).isTrue();
            assertThat(call.signatures())
                    .as("the replaced secret signs on next to the new one")
                    .hasSize(2);
            JsonNode body = call.json();
            assertThat(body.get("event").asString()).isEqualTo("rule.webhook");
            assertThat(body.get("rule").get("id").asLong()).isEqualTo(rule);
            // the outbox records the outcome just after the receiver answered: wait for it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode log = api.get("/api/v1/webhooks/deliveries?limit=200").json();
                boolean logged = false;
                for (JsonNode d : log) {
                    if (d.get("deliveryId").asString().equals(body.get("id").asString())) {
                        logged = true;
                        assertThat(d.get("status").asString()).isEqualTo("DELIVERED");
                        assertThat(d.get("lastStatus").asInt()).isEqualTo(204);
                    }
                }
                assertThat(logged).as("the call is in the delivery log").isTrue();
            });
        }
    }

    @Test
    void aNewSubscriptionSecretSignsNextToTheOldOneForTheGracePeriod() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestApi.Response sub = api.post("/api/v1/webhooks", """
                    {"url":"%s","events":["webhook.test"]}""".formatted(receiver.url()));
            long id = sub.json().get("id").asLong();
            cleanup.add("/api/v1/webhooks/" + id);
            String old = sub.json().get("secret").asString();
            api.post("/api/v1/webhooks/" + id + "/test", "");
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.calls().size() == 1);
            assertThat(receiver.calls().getFirst().signatures()).hasSize(1);
            assertThat(receiver.calls().getFirst().isSignedWith(old)).isTrue();

            TestApi.Response rotated = api.post("/api/v1/webhooks/" + id + "/secret", "");
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            String fresh = rotated.json().get("secret").asString();
            assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
            assertThat(java.time.Instant.parse(
                            rotated.json().get("previousSecretUntil").asString()))
                    .isAfter(java.time.Instant.now().plus(Duration.ofHours(23)));
            api.post("/api/v1/webhooks/" + id + "/test", "");
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.calls().size() == 2);
            WebhookReceiver.Call call = receiver.calls().get(1);
            assertThat(call.signatures()).hasSize(2);
            assertThat(call.isSignedWith(fresh)).isTrue();
            assertThat(call.isSignedWith(old)).isTrue();
            assertThat(api.post("/api/v1/webhooks/987654321/secret", "").status())
                    .isEqualTo(404);
        }
    }

    @Test
    void webhookAndActionUrlsOfLoopbackPrivateLinkLocalAndMetadataAddressesAreRefusedWhenSaved() {
        int before = api.get("/api/v1/webhooks").json().size();
        for (String url : List.of(
                "http://localhost:8080/x",
                "http://127.0.0.2/x",
                "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data/",
                "http://[fd00:ec2::254]/",
                "http://10.1.2.3/x",
                "http://172.16.0.1/x",
                "http://192.168.1.1/x",
                "http://100.64.0.1/x",
                "http://0.0.0.0/x",
                "http://[fc00::1]/x",
                "http://224.0.0.1/x",
                "http://[::ffff:127.0.0.1]/x",
                "http://[fe80::1]/x")) {
            TestApi.Response r = api.post("/api/v1/webhooks", """
                    {"url":"%s","events":["*"]}""".formatted(url));
            assertThat(r.status()).as(url + " → " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.json().get("errors").findValuesAsString("field"))
                    .as(url)
                    .containsExactly("url");
            assertThat(r.json().get("errors").get(0).get("message").asString())
                    .contains("kindling.outbound.allowed-hosts");
            TestApi.Response action = api.post("/api/v1/automation-rules", """
                    {"name":"ssrf %s","condition":%s,"actions":[{"type":"callWebhook","url":"%s"}]}""".formatted(run, mine(), url));
            assertThat(action.status()).as(url + " → " + action.body()).isEqualTo(400);
            assertThat(action.json().get("errors").findValuesAsString("field")).containsExactly("actions[0].url");
        }
        assertThat(api.get("/api/v1/webhooks").json().size()).isEqualTo(before);
    }

    @Test
    void aDeliveryToAnAddressThatIsNotAllowedIsRefusedAfterResolvingAndNeverMade() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // as if the name had resolved to a public address when saved and to loopback now (DNS rebinding)
            String rebound = receiver.url().replace("127.0.0.1", "localhost");
            java.util.UUID delivery = java.util.UUID.randomUUID();
            webhooks.enqueue(List.of(new WebhookOutbox.WebhookCall(
                    delivery, rebound, null, "rule.webhook", "{\"id\":\"" + delivery + "\"}", "test", null)));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> jdbc.sql("SELECT last_error FROM webhook_outbox WHERE delivery_id = ?")
                                    .param(delivery)
                                    .query(String.class)
                                    .optional()
                                    .orElse(null)
                            != null);
            assertThat(jdbc.sql("SELECT last_error FROM webhook_outbox WHERE delivery_id = ?")
                            .param(delivery)
                            .query(String.class)
                            .single())
                    .contains("refused", "loopback");
            assertThat(receiver.calls()).isEmpty();
            jdbc.sql("UPDATE webhook_outbox SET next_attempt_at = NULL WHERE delivery_id = ?")
                    .param(delivery)
                    .update();
        }
    }

    @Test
    void thePublicUrlFromTheEnvironmentIsShownCannotBeReplacedAndOnlyAdminsMayTry() {
        JsonNode current = api.get("/api/v1/settings/public-url").json();
        assertThat(current.get("url").asString()).isEqualTo(TestApi.PUBLIC_URL);
        assertThat(current.get("source").asString()).isEqualTo("ENVIRONMENT");
        TestApi.Response refused = api.put("/api/v1/settings/public-url", "{\"url\":\"https://other.example\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("KINDLING_PUBLIC_URL");
        TestApi marketing = keyFor("MARKETING");
        TestApi.Response forbidden =
                marketing.put("/api/v1/settings/public-url", "{\"url\":\"https://other.example\"}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/settings/public-url").json().get("url").asString())
                .isEqualTo(TestApi.PUBLIC_URL);
    }

    String mine() {
        return "{\"field\":\"email\",\"op\":\"endsWith\",\"value\":\"" + domain + "\"}";
    }

    long rule(String json) {
        long id = TestApi.created(api.post("/api/v1/automation-rules", json));
        cleanup.add("/api/v1/automation-rules/" + id);
        return id;
    }

    long prospect(String json) {
        return api.newProspect(json);
    }

    long user(String name) {
        return TestApi.created(api.post("/api/v1/users", """
                {"email":"%s-%s%s","name":"%s","role":"SALES"}""".formatted(name, run, domain, name)));
    }

    JsonNode outboxTo(String to) {
        JsonNode items = api.get("/api/v1/outbox?limit=500").json().get("items");
        List<JsonNode> mine = new ArrayList<>();
        items.forEach(i -> {
            if (i.get("to").asString().equals(to)) {
                mine.add(i);
            }
        });
        return JsonMapper.builder().build().valueToTree(mine);
    }

    TestApi keyFor(String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@notify.example";
        long userId = api.post("/api/v1/users", """
                {"email":"%s","name":"A %s","role":"%s","password":"long-enough-password"}""".formatted(email, role, role))
                .json()
                .get("id")
                .asLong();
        String key = api.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"k\"}".formatted(userId))
                .json()
                .get("key")
                .asString();
        return api.as(key);
    }
}
