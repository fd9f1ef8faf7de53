package dev.kindling.capture.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.intake.Visitors;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class CollectIT {

    static final String BROWSER =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Visitors visitors;

    @Autowired
    Clock clock;

    TestApi anonymous;

    @BeforeEach
    void setUp() {
        anonymous = new TestApi(port, null);
    }

    TestApi.Response collect(String contentType, String body, String userAgent) {
        return anonymous.send(anonymous
                .request("/t/collect")
                .header("Content-Type", contentType)
                .header("User-Agent", userAgent)
                .header("Origin", "https://www.customer-site.example")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static String visitor() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aBeaconRecordsAPageViewWithItsUtmParametersAndTheVisitor() {
        String visitor = visitor();
        var response = collect("text/plain;charset=UTF-8", """
                {"visitorId":"%s","url":"https://www.customer-site.example/pricing?utm_source=news","title":"Pricing",
                 "referrer":"https://search.example/?q=kindling","utm_source":"news","utm_campaign":"spring"}""".formatted(visitor), BROWSER);
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .contains("*");
        assertThat(response.raw().headers().firstValue("Set-Cookie"))
                .as("no session")
                .isEmpty();
        var activity = jdbc.sql("""
                        SELECT properties->>'url', properties->>'title', properties->>'utm_source', properties->>'userAgent', bot
                          FROM activity WHERE visitor_id = ? AND type = 'PAGE_VIEW'""")
                .param(visitor)
                .query((rs, n) ->
                        List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)))
                .single();
        assertThat(activity)
                .containsExactly(
                        "https://www.customer-site.example/pricing?utm_source=news", "Pricing", "news", BROWSER, false);
        var utm = jdbc.sql("SELECT utm->>'utm_campaign' FROM visitor WHERE id = ? AND NOT bot")
                .param(visitor)
                .query(String.class)
                .single();
        assertThat(utm).isEqualTo("spring");
    }

    @Test
    void beaconsAreCountedByStatusOutsideTheHttpServersObservationAndNotObservedInTheSecurityChain() {
        double answered = answered("204");
        double refused = answered("400");
        var response = collect(
                "text/plain;charset=UTF-8",
                "{\"visitorId\":\"" + visitor() + "\",\"url\":\"https://www.customer-site.example/\"}",
                BROWSER);
        assertThat(response.status()).isEqualTo(204);
        assertThat(collect("text/plain", "{}", BROWSER).status()).isEqualTo(400);
        assertThat(answered("204")).as("the beacon counted").isEqualTo(answered + 1);
        assertThat(answered("400")).as("the invalid one too").isEqualTo(refused + 1);
        assertThat(meters.find("http.server.requests").tag("uri", "/t/collect").timers())
                .as("left out of the HTTP server's request metrics")
                .isEmpty();
        assertThat(meters.getMeters())
                .as("no meter of Spring Security's observations")
                .noneMatch(meter -> meter.getId().getName().startsWith("spring.security."));
    }

    double answered(String status) {
        var counter = meters.find(CollectEndpoint.METRIC).tag("status", status).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theVisitorKeepsTheUtmOfItsFirstVisit() {
        String visitor = visitor();
        collect(
                "application/json",
                "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/\",\"utm_source\":\"first\"}",
                BROWSER);
        collect(
                "application/json",
                "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/b\",\"utm_source\":\"second\"}",
                BROWSER);
        assertThat(jdbc.sql("SELECT utm->>'utm_source' FROM visitor WHERE id = ?")
                        .param(visitor)
                        .query(String.class)
                        .single())
                .isEqualTo("first");
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = ?")
                        .param(visitor)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void manyConcurrentBeaconsAreEachStoredBeforeTheyAreAnsweredAndAVisitorSeenInOneBatchIsOneRow() throws Exception {
        List<String> visitors = List.of(visitor(), visitor(), visitor(), visitor());
        int perVisitor = 12;
        List<java.util.concurrent.Callable<Integer>> beacons = new java.util.ArrayList<>();
        for (String visitor : visitors) {
            for (int i = 0; i < perVisitor; i++) {
                String body = "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/p" + i + "\""
                        + (i == 5 ? ",\"utm_source\":\"burst\"" : "") + "}";
                beacons.add(() -> collect("text/plain", body, BROWSER).status());
            }
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(24)) {
            for (var answer : pool.invokeAll(beacons)) {
                statuses.add(answer.get());
            }
        }
        assertThat(statuses).hasSize(visitors.size() * perVisitor).containsOnly(204);
        // answered means committed: every beacon is there at once, no waiting
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = ANY(?) AND type = 'PAGE_VIEW'")
                        .param(visitors.toArray(String[]::new))
                        .query(Long.class)
                        .single())
                .isEqualTo(visitors.size() * perVisitor);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM visitor
                         WHERE id = ANY(?) AND first_seen_at <= last_seen_at AND utm->>'utm_source' = 'burst'""")
                        .param(visitors.toArray(String[]::new))
                        .query(Long.class)
                        .single())
                .as("one row per visitor, with the UTM of the one view that had any")
                .isEqualTo(visitors.size());
    }

    @Test
    void aBatchThatFailsAnswersItsBeaconsWithAnErrorAndStoresNoneOfThemAndTheWritersGoOn() throws Exception {
        String doomed = visitor();
        jdbc.sql("""
                        CREATE FUNCTION collect_it_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN RAISE EXCEPTION 'refused by the test'; END $$""").update();
        jdbc.sql("CREATE TRIGGER collect_it_refuse BEFORE INSERT ON visitor FOR EACH ROW WHEN (NEW.id = '" + doomed
                        + "') EXECUTE FUNCTION collect_it_refuse()")
                .update();
        try {
            var failed =
                    collect("text/plain", "{\"visitorId\":\"" + doomed + "\",\"url\":\"https://a.example/\"}", BROWSER);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.contentType()).startsWith("application/problem+json");
        } finally {
            jdbc.sql("DROP TRIGGER collect_it_refuse ON visitor").update();
            jdbc.sql("DROP FUNCTION collect_it_refuse()").update();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = ?")
                        .param(doomed)
                        .query(Long.class)
                        .single())
                .isZero();

        // whichever writer failed let go of the statements' turn: concurrent beacons after it are all written
        String after = visitor();
        List<java.util.concurrent.Callable<Integer>> beacons = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String body = "{\"visitorId\":\"" + after + "\",\"url\":\"https://a.example/after" + i + "\"}";
            beacons.add(() -> collect("text/plain", body, BROWSER).status());
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (var answer : pool.invokeAll(beacons, 60, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(answer.get()).isEqualTo(204);
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = ?")
                        .param(after)
                        .query(Long.class)
                        .single())
                .isEqualTo(16);
    }

    @Test
    void aBeaconOfUndeclaredLengthIsReadToItsEndAndOneOverTheCapIsRefused() {
        String visitor = visitor();
        var chunked = collectChunked("{\"visitorId\":\"" + visitor
                + "\",\"url\":\"https://a.example/chunked\",\"title\":\"" + "t".repeat(400) + "\"}");
        assertThat(chunked.status()).isEqualTo(204);
        assertThat(jdbc.sql("SELECT properties->>'url' || ' ' || length(properties->>'title') FROM activity"
                                + " WHERE visitor_id = ?")
                        .param(visitor)
                        .query(String.class)
                        .single())
                .isEqualTo("https://a.example/chunked 400");

        var tooLarge = collectChunked("{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/\",\"title\":\""
                + "t".repeat(70_000) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
    }

    /** A beacon whose body is sent in chunks, without a declared length. */
    private TestApi.Response collectChunked(String body) {
        return anonymous.send(anonymous
                .request("/t/collect")
                .header("Content-Type", "text/plain")
                .header("User-Agent", BROWSER)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)))
                .build());
    }

    @Test
    void anAnonymousVisitorsViewIsStoredProcessedAndALinkedVisitorsViewIsProcessedForItsProspect() {
        String stranger = visitor();
        assertThat(collect("text/plain", "{\"visitorId\":\"" + stranger + "\",\"url\":\"https://a.example/\"}", BROWSER)
                        .status())
                .isEqualTo(204);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM activity a
                         WHERE visitor_id = ? AND processed_at IS NOT NULL AND prospect_id IS NULL
                           AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)""").param(stranger).query(Long.class).single())
                .as("intake would only mark it processed: it is stored so, not queued")
                .isEqualTo(1);

        TestApi api = new TestApi(port);
        long prospect = api.newProspect("""
                {"email":"collect-%s@linked.example"}""".formatted(UUID.randomUUID()));
        String known = visitor();
        visitors.link(known, prospect, clock.instant());
        assertThat(collect("text/plain", "{\"visitorId\":\"" + known + "\",\"url\":\"https://a.example/\"}", BROWSER)
                        .status())
                .isEqualTo(204);
        IntakeProgress.awaitDrained(api);
        assertThat(jdbc.sql("SELECT prospect_id FROM activity WHERE visitor_id = ? AND processed_at IS NOT NULL")
                        .param(known)
                        .query(Long.class)
                        .single())
                .as("queued for intake, which applies it to the visitor's prospect")
                .isEqualTo(prospect);
    }

    @Test
    void crawlersAreRecordedButFlaggedAsBots() {
        String visitor = visitor();
        var response = collect(
                "text/plain",
                "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/\"}",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        assertThat(response.status()).isEqualTo(204);
        assertThat(jdbc.sql("SELECT bot FROM activity WHERE visitor_id = ?")
                        .param(visitor)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(jdbc.sql("SELECT bot FROM visitor WHERE id = ?")
                        .param(visitor)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void invalidPageViewsAreRefusedWithEveryFieldAndNothingStored() {
        var response = collect("text/plain", """
                {"visitorId":"short","url":"javascript:alert(1)","title":"%s","utm_source":42,"extra":true}""".formatted("t".repeat(501)), BROWSER);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("visitorId", "url", "title", "utm_source", "extra");
        assertThat(collect("text/plain", "not json", BROWSER).status()).isEqualTo(400);
        assertThat(collect("text/plain", "[]", BROWSER).status()).isEqualTo(400);
        assertThat(jdbc.sql("SELECT count(*) FROM visitor WHERE id = 'short'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void otherContentTypesMethodsAndOversizedBodiesAreRefusedWithProblems() {
        String visitor = visitor();
        String view = "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/\"}";
        var xml = collect("application/xml", view, BROWSER);
        assertThat(xml.status()).isEqualTo(415);
        assertThat(xml.contentType()).startsWith("application/problem+json");
        assertThat(collect("text/plain;charset=no-such-charset", view, BROWSER).status())
                .isEqualTo(415);

        var get = anonymous.get("/t/collect");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.contentType()).startsWith("application/problem+json");
        assertThat(get.raw().headers().firstValue("Allow").orElse("")).contains("POST");

        String oversized = "{\"visitorId\":\"" + visitor + "\",\"url\":\"https://a.example/\",\"title\":\""
                + "t".repeat(70_000) + "\"}";
        var tooLarge = collect("text/plain", oversized, BROWSER);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");

        assertThat(jdbc.sql("SELECT count(*) FROM visitor WHERE id = ?")
                        .param(visitor)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aPreflightAskingForAnotherMethodOrHeaderIsRefused() {
        var response = anonymous.send(anonymous
                .request("/t/collect")
                .header("Origin", "https://www.customer-site.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, x-secret")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
    }

    @Test
    void aJsonSenderGetsACorsPreflightAnswer() {
        var response = anonymous.send(anonymous
                .request("/t/collect")
                .header("Origin", "https://www.customer-site.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .contains("*");
        assertThat(response.raw()
                        .headers()
                        .firstValue("Access-Control-Allow-Methods")
                        .orElse(""))
                .contains("POST");
        assertThat(response.raw()
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse(""))
                .containsIgnoringCase("content-type");
    }

    @Test
    void theScriptIsServedCacheableAsJavaScript() {
        var response = anonymous.get("/t/kindling.js");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/javascript");
        assertThat(response.raw().headers().firstValue("Cache-Control").orElse(""))
                .contains("max-age");
        assertThat(response.body())
                .contains("sendBeacon", "kindling_vid", "doNotTrack", "kindlingConsent", "kindling_visitor");
    }
}
