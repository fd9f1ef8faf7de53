package dev.kindling.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.kindling.mail.MailOutbox;
import dev.kindling.mail.OutgoingMail;
import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestSmtp;
import dev.kindling.support.WebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Mail over real SMTP (GreenMail) and signed webhooks to a real HTTP receiver, with a clock the test moves to make
 * retries due, in the shared moving-clock context ({@link MovingClockTest}, whose outboxes poll every 100 ms); its mails
 * are told from other classes' by their recipients.
 */
@MovingClockTest(start = "2034-03-01T09:00:00Z")
class NotificationDeliveryIT {

    @RegisterExtension
    static final TestSmtp smtp = TestSmtp.movingClock();

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    MailOutbox outbox;

    @Autowired
    Notifications notifications;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aQueuedMailArrivesOverSmtpWithItsSubjectBodyAndHeadersAndIsMarkedSentWithItsMessageId() throws Exception {
        String to = "reader-" + run + "@notify.example";
        boolean queued = outbox.enqueue(
                new OutgoingMail(
                        to,
                        "Hello " + run,
                        "Plain text body " + run,
                        "<p>HTML body " + run + "</p>",
                        Map.of(
                                "List-Unsubscribe",
                                "<https://notify.example/u/" + run + ">",
                                "List-Unsubscribe-Post",
                                "List-Unsubscribe=One-Click"),
                        null,
                        OutgoingMail.MARKETING),
                "test:" + run);
        assertThat(queued).isTrue();
        assertThat(outbox.enqueue(OutgoingMail.notification(to, "again", "again", null), "test:" + run))
                .as("the same dedupe key is one mail")
                .isFalse();

        MimeMessage mail = smtp.awaitMailTo(to);
        assertThat(mail.getSubject()).isEqualTo("Hello " + run);
        assertThat(GreenMailUtil.getBody(mail))
                .contains("Plain text body " + run)
                .contains("HTML body " + run);
        assertThat(mail.getHeader("List-Unsubscribe")).containsExactly("<https://notify.example/u/" + run + ">");
        assertThat(mail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(mail.getFrom()[0].toString()).isEqualTo(TestSmtp.MOVING_CLOCK_FROM);

        Map<String, Object> row = row("test:" + run);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SENT".equals(row("test:" + run).get("status")));
        assertThat(row("test:" + run).get("message_id")).isEqualTo(mail.getMessageID());
        assertThat(smtp.mailsTo(to)).hasSize(1);
        assertThat(row.get("to_address")).isEqualTo(to);
    }

    @Test
    void aFailingSmtpServerIsRetriedAfterABackoffAndTheMailIsDeliveredExactlyOnce() throws Exception {
        String to = "patient-" + run + "@notify.example";
        smtp.stop();
        try {
            outbox.enqueue(OutgoingMail.notification(to, "Retry " + run, "Retried body", null), "retry:" + run);
            await("the first attempt fails")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> row("retry:" + run).get("last_error") != null);
            Map<String, Object> failed = row("retry:" + run);
            assertThat(failed.get("status")).isEqualTo("PENDING");
            assertThat(failed.get("attempts")).isEqualTo(1);
            Instant next = ((java.sql.Timestamp) failed.get("next_attempt_at")).toInstant();
            assertThat(Duration.between(clock.instant(), next))
                    .as("waits the backoff before retrying")
                    .isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
        } finally {
            smtp.start();
        }
        // the server is back, but the retry is not due until the clock passes the backoff
        assertThat(smtp.mailsTo(to)).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        MimeMessage mail = smtp.awaitMailTo(to);
        assertThat(mail.getSubject()).isEqualTo("Retry " + run);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SENT".equals(row("retry:" + run).get("status")));
        assertThat(row("retry:" + run).get("attempts")).isEqualTo(2);

        // later runs (and more time) never send it again
        clock.advance(Duration.ofHours(2));
        outbox.enqueue(
                OutgoingMail.notification("marker-" + run + "@notify.example", "marker", "m", null), "marker:" + run);
        smtp.awaitMailTo("marker-" + run + "@notify.example");
        assertThat(smtp.mailsTo(to)).hasSize(1);
    }

    @Test
    void notifyingAUserMailsThemAndPostsASignedPayloadToEachSubscriptionForTheEvent() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            List<WebhookReceiver.Call> received = receiver.calls();
            String secret = subscribe(receiver, "[\"prospect.assigned\"]");
            String other = subscribe(receiver, "[\"sla.breached\"]");
            assertThat(other).isNotEqualTo(secret);
            long user = user("owner-" + run + "@notify.example", "Olive Owner");

            tx.executeWithoutResult(s -> notifications.notifyUser(
                    user,
                    new Notice(
                            "prospect.assigned",
                            "New lead " + run,
                            "You have a new lead.",
                            Map.of("prospectId", 42, "cause", "test"),
                            "assigned:" + run)));
            tx.executeWithoutResult(s -> notifications.notifyUser(
                    user,
                    new Notice(
                            "prospect.assigned",
                            "New lead " + run,
                            "You have a new lead.",
                            Map.of(),
                            "assigned:" + run)));

            MimeMessage mail = smtp.awaitMailTo("owner-" + run + "@notify.example");
            assertThat(mail.getSubject()).isEqualTo("New lead " + run);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 1);
            WebhookReceiver.Call hook = received.getFirst();
            assertThat(hook.isSignedWith(secret)).isTrue();
            assertThat(hook.headers().get("webhook-timestamp"))
                    .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
            assertThat(hook.headers().get("X-kindling-event")).isEqualTo("prospect.assigned");
            JsonNode payload = hook.json();
            assertThat(payload.get("id").asString()).isEqualTo(hook.headers().get("webhook-id"));
            assertThat(payload.get("event").asString()).isEqualTo("prospect.assigned");
            assertThat(Instant.parse(payload.get("occurredAt").asString())).isEqualTo(clock.instant());
            assertThat(payload.get("data").get("prospectId").asLong()).isEqualTo(42);
            assertThat(payload.get("data").get("recipients").get(0).get("email").asString())
                    .isEqualTo("owner-" + run + "@notify.example");
            assertThat(hook.isSignedWith("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
                    .isFalse();

            // the same dedupe key again: no second mail, no second call; the sla.breached subscription got nothing
            outbox.enqueue(OutgoingMail.notification("marker-" + run + "@notify.example", "m", "m", null), "m:" + run);
            smtp.awaitMailTo("marker-" + run + "@notify.example");
            assertThat(smtp.mailsTo("owner-" + run + "@notify.example")).hasSize(1);
            assertThat(received).hasSize(1);
        }
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffAndLoggedWhileOtherDeliveriesGoOn() throws Exception {
        try (WebhookReceiver failing = WebhookReceiver.failingFirst(2);
                WebhookReceiver healthy = WebhookReceiver.start()) {
            List<WebhookReceiver.Call> failingLog = failing.calls();
            List<WebhookReceiver.Call> healthyLog = healthy.calls();
            String event = "test.retry" + run.replaceAll("[^a-z]", "");
            long failingSub = subscriptionId(subscribe(failing, "[\"" + event + "\"]"));
            subscribe(healthy, "[\"*\"]");
            long user = user("hooked-" + run + "@notify.example", "Hal Hooked");
            long started = System.nanoTime();
            tx.executeWithoutResult(
                    s -> notifications.notifyUser(user, new Notice(event, "s", "t", Map.of("n", 1), null)));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("notifying never waits on an endpoint")
                    .isLessThan(Duration.ofSeconds(2));

            await().atMost(Duration.ofSeconds(10)).until(() -> healthyLog.size() == 1 && failingLog.size() == 1);
            JsonNode log =
                    api.get("/api/v1/webhooks/" + failingSub + "/deliveries").json();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("/api/v1/webhooks/" + failingSub + "/deliveries")
                                    .json()
                                    .get(0)
                                    .get("lastStatus")
                                    .asInt()
                            == 500);
            log = api.get("/api/v1/webhooks/" + failingSub + "/deliveries").json();
            assertThat(log.get(0).get("status").asString()).isEqualTo("RETRYING");
            assertThat(log.get(0).get("attempts").asInt()).isEqualTo(1);
            assertThat(log.get(0).get("lastError").asString()).isEqualTo("HTTP 500");

            clock.advance(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> failingLog.size() == 2);
            // the receiver has the second call before the worker records its failure and the next attempt; moving the
            // clock in between would count the backoff from the moved clock, so wait for the recorded retry first
            Instant secondFailure = clock.instant();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> nextAttempt(failingSub).isBefore(secondFailure.plus(WebhookOutbox.LEASE)));
            assertThat(Duration.between(secondFailure, nextAttempt(failingSub)))
                    .as("the pause doubles after the second failure, less up to a tenth of jitter")
                    .isBetween(Duration.ofMillis(3_600), Duration.ofSeconds(4));
            clock.advance(Duration.ofSeconds(4));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "DELIVERED"
                            .equals(api.get("/api/v1/webhooks/" + failingSub + "/deliveries")
                                    .json()
                                    .get(0)
                                    .get("status")
                                    .asString()));
            log = api.get("/api/v1/webhooks/" + failingSub + "/deliveries").json();
            assertThat(log.get(0).get("attempts").asInt()).isEqualTo(3);
            assertThat(log.get(0).get("lastStatus").asInt()).isEqualTo(204);
            assertThat(failingLog)
                    .extracting(r -> r.headers().get("webhook-id"))
                    .as("one delivery id")
                    .containsOnly(log.get(0).get("deliveryId").asString());
            assertThat(healthyLog).hasSize(1);
        }
    }

    String lastSubscriptionId;
    final List<String> subscriptions = new ArrayList<>();

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(
                id -> api.send(api.request("/api/v1/webhooks/" + id).DELETE().build()));
    }

    String subscribe(WebhookReceiver receiver, String events) {
        TestApi.Response r = api.post("/api/v1/webhooks", """
                {"url":"%s","events":%s,"description":"test %s"}""".formatted(receiver.url(), events, run));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        lastSubscriptionId = r.json().get("id").asString();
        subscriptions.add(lastSubscriptionId);
        String secret = r.json().get("secret").asString();
        assertThat(api.get("/api/v1/webhooks/" + lastSubscriptionId).body()).doesNotContain(secret);
        return secret;
    }

    /** The next attempt of the subscription's newest delivery, as its delivery log shows it. */
    Instant nextAttempt(long subscription) {
        JsonNode next = api.get("/api/v1/webhooks/" + subscription + "/deliveries")
                .json()
                .get(0)
                .get("nextAttemptAt");
        return Instant.parse(next.asString());
    }

    long subscriptionId(String secret) {
        return Long.parseLong(lastSubscriptionId);
    }

    long user(String email, String name) {
        return TestApi.created(api.post("/api/v1/users", """
                {"email":"%s","name":"%s","role":"SALES"}""".formatted(email, name)));
    }

    Map<String, Object> row(String key) {
        return jdbc.sql("SELECT * FROM mail_outbox WHERE dedupe_key = :k")
                .param("k", key)
                .query()
                .singleRow();
    }
}
