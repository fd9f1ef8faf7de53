package dev.kindling.notifications;

import dev.kindling.platform.outbound.OutboundPolicy;
import dev.kindling.platform.outbound.Outbox;
import dev.kindling.platform.outbound.StandardWebhooks;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one way the app calls webhooks — subscription deliveries of notices and the rule action {@code callWebhook}.
 * {@link #enqueue} only inserts {@code webhook_outbox} rows in the caller's transaction (so a call is made exactly for
 * what committed); a worker, woken after that commit and otherwise polling, claims due rows with
 * {@code FOR UPDATE SKIP LOCKED} (pushing their next attempt one lease ahead, so another instance does not take them
 * too), POSTs them in parallel outside any transaction with a timeout, signed the Standard Webhooks way
 * ({@link StandardWebhooks}: {@code webhook-id} = the delivery id, {@code webhook-timestamp}, {@code webhook-signature};
 * also {@code X-Kindling-Event}), only to addresses the {@link OutboundPolicy} allows (it is the client's DNS
 * resolver; redirects are not followed), and records the outcome on the row, which is the delivery log: delivered on a 2xx, else
 * retried after a doubling pause with jitter ({@code kindling.automation.webhook.backoff} … 1 hour,
 * {@link Outbox.Retry}), given up after {@value #MAX_ATTEMPTS} attempts with the last status and error kept. The claim,
 * the worker and the retry are the app's one {@link Outbox} mechanism. A failing endpoint never blocks rules, intake
 * or other deliveries.
 */
@Component
public class WebhookOutbox {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);
    static final int MAX_ATTEMPTS = 10;
    static final int BATCH = 50;
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /**
     * One call to make: the delivery id (also the payload's {@code id}), the URL, the subscription whose secret signs
     * it (null: the rule signing secret), the event, the JSON body, who caused it, and a dedupe key (per subscription;
     * null: never deduplicated).
     */
    public record WebhookCall(
            UUID deliveryId,
            String url,
            Long subscriptionId,
            String event,
            String body,
            String source,
            String dedupeKey) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WebhookSigning signing;
    private final Outbox.Retry retry;
    private final Outbox outbox;
    private final CloseableHttpClient http;

    WebhookOutbox(
            JdbcClient jdbc,
            Clock clock,
            WebhookSigning signing,
            OutboundPolicy policy,
            @Value("${kindling.automation.webhook.backoff:PT2S}") Duration backoff,
            @Value("${kindling.automation.webhook.poll-interval:PT1S}") Duration poll) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.signing = signing;
        this.retry = new Outbox.Retry(backoff, MAX_BACKOFF, MAX_ATTEMPTS);
        this.outbox = new Outbox("webhooks", poll, BATCH, this::deliverDue);
        // no proxy from system properties (it would connect for us, past the policy), no redirects, no retries here
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(policy)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(Timeout.ofSeconds(10))
                                .build())
                        .setMaxConnTotal(BATCH)
                        .setMaxConnPerRoute(BATCH)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofSeconds(10))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("Kindling-Webhook")
                .build();
    }

    /** Queues these calls in the caller's transaction (one statement); returns how many were new. */
    public int enqueue(List<WebhookCall> calls) {
        if (calls.isEmpty()) {
            return 0;
        }
        int n = calls.size();
        String[] ids = new String[n];
        String[] urls = new String[n];
        Long[] subs = new Long[n];
        String[] events = new String[n];
        String[] bodies = new String[n];
        String[] sources = new String[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            WebhookCall c = calls.get(i);
            ids[i] = c.deliveryId().toString();
            urls[i] = c.url();
            subs[i] = c.subscriptionId();
            events[i] = c.event();
            bodies[i] = c.body();
            sources[i] = c.source();
            keys[i] = c.dedupeKey();
        }
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.sql("""
                        INSERT INTO webhook_outbox (delivery_id, url, subscription_id, event, body, source, dedupe_key,
                                                    created_at, next_attempt_at)
                        SELECT CAST(d AS uuid), u, s, e, CAST(b AS jsonb), src, k, :now, :now
                          FROM unnest(CAST(:ids AS text[]), CAST(:urls AS text[]), CAST(:subs AS bigint[]),
                                      CAST(:events AS text[]), CAST(:bodies AS text[]), CAST(:sources AS text[]),
                                      CAST(:keys AS text[])) AS c(d, u, s, e, b, src, k)
                        ON CONFLICT (subscription_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING""")
                .param("now", now)
                .param("ids", ids)
                .param("urls", urls)
                .param("subs", subs)
                .param("events", events)
                .param("bodies", bodies)
                .param("sources", sources)
                .param("keys", keys)
                .update();
        if (inserted > 0) {
            outbox.wakeAfterCommit();
        }
        return inserted;
    }

    record Delivery(
            long id, UUID deliveryId, String url, String event, Long subscriptionId, String body, int attempts) {}

    /** Delivers what is due now; returns how many calls were made. */
    int deliverDue() {
        Instant now = clock.instant();
        List<Delivery> due = jdbc.sql(Outbox.claim(
                        "webhook_outbox",
                        null,
                        null,
                        "o.id, o.delivery_id, o.url, o.event, o.subscription_id, o.body::text, o.attempts"))
                .param("lease", Timestamp.from(now.plus(LEASE)))
                .param("now", Timestamp.from(now))
                .param("limit", BATCH)
                .query((rs, n) -> new Delivery(
                        rs.getLong(1),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getString(4),
                        (Long) rs.getObject(5),
                        rs.getString(6),
                        rs.getInt(7)))
                .list();
        if (due.isEmpty()) {
            return 0;
        }
        Map<Long, List<String>> secrets = secrets(due);
        List<Future<Outcome>> calls = new ArrayList<>();
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Delivery d : due) {
                List<String> signingSecrets = secrets.get(d.subscriptionId() == null ? 0L : d.subscriptionId());
                calls.add(parallel.submit(() -> post(d, signingSecrets)));
            }
        }
        for (int i = 0; i < due.size(); i++) {
            Delivery d = due.get(i);
            Outcome outcome;
            try {
                outcome = calls.get(i).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                outcome = new Outcome(null, String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
            Instant done = clock.instant();
            if (outcome.error() == null) {
                jdbc.sql("""
                                UPDATE webhook_outbox SET delivered_at = :now, next_attempt_at = NULL, last_error = NULL,
                                       last_status = :status WHERE id = :id""")
                        .param("now", Timestamp.from(done))
                        .param("status", outcome.status())
                        .param("id", d.id())
                        .update();
            } else {
                Instant next = retry.next(d.attempts(), done);
                if (next == null) {
                    log.warn(
                            "Webhook {} to {} given up after {} attempts: {}",
                            d.id(),
                            d.url(),
                            d.attempts(),
                            outcome.error());
                }
                String error = outcome.error();
                jdbc.sql("""
                                UPDATE webhook_outbox SET next_attempt_at = :next, last_error = :error, last_status = :status
                                 WHERE id = :id""")
                        .param("next", next == null ? null : Timestamp.from(next))
                        .param("error", error.length() > 500 ? error.substring(0, 500) : error)
                        .param("status", outcome.status())
                        .param("id", d.id())
                        .update();
            }
        }
        return due.size();
    }

    private record Outcome(Integer status, String error) {}

    /** One attempt: the signed POST, answered by its status (2xx: delivered) or the error. */
    private Outcome post(Delivery d, List<String> secrets) {
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpPost request = new HttpPost(d.url());
        request.setHeader(StandardWebhooks.ID, d.deliveryId().toString());
        request.setHeader(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
        request.setHeader(
                StandardWebhooks.SIGNATURE,
                StandardWebhooks.signature(secrets, d.deliveryId().toString(), timestamp, body));
        request.setHeader("X-Kindling-Event", d.event());
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        try {
            int status = http.execute(request, response -> response.getCode());
            return new Outcome(status, status / 100 == 2 ? null : "HTTP " + status);
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, String.valueOf(e));
        }
    }

    /** The secrets that sign these deliveries, by subscription id; key 0 holds the rule signing secrets. */
    private Map<Long, List<String>> secrets(List<Delivery> due) {
        Map<Long, List<String>> secrets = new HashMap<>(signing.subscriptionSecrets(due.stream()
                .map(Delivery::subscriptionId)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList()));
        if (due.stream().anyMatch(d -> d.subscriptionId() == null)) {
            secrets.put(0L, signing.ruleSecrets());
        }
        return secrets;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        outbox.start();
    }

    @PreDestroy
    void stop() throws InterruptedException, IOException {
        outbox.stop();
        http.close();
    }
}
