package dev.kindling.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.intake.IntakeProgress;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.KindlingProcess;
import dev.kindling.support.KindlingProcess.Launch;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestDatabase;
import dev.kindling.support.UiSession;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Three instances of the packaged app (child JVMs) on one PostgreSQL — a database of their own on the shared test
 * server — with nginx from the distribution in front, balancing round-robin: any instance serves any request
 * (sessions and CSRF tokens in the database), the capture rate limit is one limit for all of them, a configuration
 * change made on one is in force on the others within a second, and the Salesforce sync cycle, a job for one instance
 * at a time, runs on one at a time and once per cycle interval for all of them. The instances start together and serve
 * every test of the class.
 */
// runs beside the shared contexts' classes, one such class at a time (docs/testing.md)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(IntegrationTest.BESIDE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String KEY = "kdl_cluster_test_key_0123456789abcdef";
    private static final String ADMIN = "admin@kindling.local";
    private static final String PASSWORD = "child-process-password";
    private static final int CYCLE_SECONDS = 2;
    private static final int FORM_BURST = 20;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<KindlingProcess> instances = new ArrayList<>();
    private String databaseUrl;
    private Path work;
    private Process nginx;
    private int balancerPort;

    @BeforeAll
    void startThreeInstancesBehindNginx() throws Exception {
        databaseUrl = TestDatabase.createOwn("cluster");
        work = Files.createTempDirectory("kindling-cluster");
        FakeOrg org = FakeSalesforce.shared().newOrg();
        Map<String, String> env = new HashMap<>();
        env.put("KINDLING_DB_URL", databaseUrl);
        env.put("KINDLING_DB_USER", "postgres");
        env.put("KINDLING_DB_PASSWORD", "postgres");
        // several instances share the secret (tracked links, sealed Salesforce credentials): README, Several instances
        env.put("KINDLING_SECRET", "cluster-test-secret-" + run);
        env.put("KINDLING_SALESFORCE_LOGIN_URL", FakeSalesforce.shared().loginUrl());
        env.put("KINDLING_SALESFORCE_CLIENT_ID", org.clientId());
        env.put("KINDLING_SALESFORCE_CLIENT_SECRET", org.clientSecret());
        env.put("KINDLING_SALESFORCE_CYCLE_SECONDS", Integer.toString(CYCLE_SECONDS));
        // form posts refill at one a minute: the test's posts all fall within one bucket's burst
        List<String> jvm = List.of("-Dkindling.capture.rate-limit.forms-per-minute=1");
        List<CompletableFuture<KindlingProcess>> starting = new ArrayList<>();
        try (ExecutorService starters = Executors.newFixedThreadPool(3)) {
            for (String name : List.of("a", "b", "c")) {
                Path dataDir = Files.createDirectories(work.resolve(name));
                starting.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return KindlingProcess.start(
                                        "cluster-" + name, dataDir, KEY, env, jvm, Launch.EXTRACTED);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        starters));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                    .exceptionally(failed -> null)
                    .join();
            // the ones that started are stopped after the class even when another did not start
            starting.stream().filter(s -> !s.isCompletedExceptionally()).forEach(s -> instances.add(s.join()));
            starting.forEach(CompletableFuture::join);
        }
        startNginx();
    }

    @Test
    void aSignInOnOneInstanceIsValidOnTheOthersAndAFormPostCarriesItsCsrfTokenToAnother() {
        UiSession onA = UiSession.anonymous(port(0), "127.0.0.1"); // the login page, its session and token, from A
        UiSession onB = onA.on(port(1));
        onB.signIn(ADMIN, PASSWORD); // A's token, posted to B

        TestApi.Response home = onB.on(port(2)).get("/");
        assertThat(home.status()).as("the signed-in session, on C").isEqualTo(200);

        UiSession backOnA = onB.on(port(0));
        backOnA.open("/lists"); // the form's token, rendered by A
        TestApi.Response created = backOnA.on(port(1)).postForm("/lists", "name=cluster-" + run + "&kind=STATIC");
        assertThat(created.status()).as(created.body()).isEqualTo(302);
        String list =
                created.raw().headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
        assertThat(backOnA.on(port(2)).get(list).body()).contains("cluster-" + run);

        TestApi.Response signedOut = backOnA.on(port(2)).postForm("/logout", "");
        assertThat(signedOut.status()).isEqualTo(302);
        assertThat(backOnA.get("/").status()).as("signed out on C, so on A too").isEqualTo(302);
    }

    @Test
    void behindTheBalancerASignedInUserWorksPageAfterPage() {
        UiSession browser = UiSession.anonymous(balancerPort, "127.0.0.1");
        browser.signIn(ADMIN, PASSWORD);
        for (int i = 0; i < instances.size(); i++) {
            // round-robin: each instance serves one page and one form post of these
            TestApi.Response page = browser.open("/lists");
            assertThat(page.status()).isEqualTo(200);
            TestApi.Response created = browser.postForm("/lists", "name=balanced-" + i + "-" + run + "&kind=STATIC");
            assertThat(created.status()).as(created.body()).isEqualTo(302);
        }
        assertThat(new TestApi(port(0), KEY).get("/api/v1/lists?limit=500").body())
                .contains("balanced-0-" + run, "balanced-2-" + run);
    }

    @Test
    void theFormRateLimitIsOneLimitForAllInstances() {
        TestApi anonymous = new TestApi(balancerPort, null);
        int allowed = 0;
        int posts = 3 * FORM_BURST;
        for (int i = 0; i < posts; i++) {
            TestApi.Response r = anonymous.send(anonymous
                    .request("/f/no-such-form-" + run)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("email=a%40b.example"))
                    .build());
            assertThat(r.status()).isIn(404, 429);
            if (r.status() == 404) {
                allowed++;
            }
        }
        // each instance got a third of the posts, under its burst: limits of their own would have let all through
        assertThat(allowed).isEqualTo(FORM_BURST);
    }

    @Test
    void aLifecycleChangeOnOneInstanceIsInForceOnTheOthersWithinASecond() {
        for (int i = 1; i < instances.size(); i++) {
            // the others hold the policy in memory before the change
            assertThat(api(i).get("/api/v1/lifecycle").body()).doesNotContain("competitor-" + run);
        }
        var policy = api(0).get("/api/v1/lifecycle").json();
        String changed = policy.toString()
                .replace("\"competitorDomains\":[", "\"competitorDomains\":[\"competitor-" + run + ".example\",")
                .replace(",]", "]");
        assertThat(api(0).put("/api/v1/lifecycle", changed).status()).isEqualTo(200);
        await("the change in force on B and C")
                .atMost(Duration.ofSeconds(1))
                .until(() -> api(1).get("/api/v1/lifecycle").body().contains("competitor-" + run)
                        && api(2).get("/api/v1/lifecycle").body().contains("competitor-" + run));
    }

    @Test
    void aScoringRuleMadeOnOneInstanceScoresOnTheOthersWithinASecond() {
        String email = "scored-" + run + "@cluster.example";
        assertThat(api(0).post("/api/v1/prospects", "{\"email\":\"" + email + "\"}")
                        .status())
                .isEqualTo(201);
        assertThat(api(0).post("/api/v1/activities", """
                        {"activities":[{"externalId":"%s","email":"%s","type":"CUSTOM","customName":"cluster-%s",
                         "occurredAt":"%s"}]}""".formatted(
                                UUID.randomUUID(),
                                email,
                                run,
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30)))
                        .status())
                .isEqualTo(202);
        IntakeProgress.awaitDrained(api(0));
        for (int i = 1; i < instances.size(); i++) {
            // the others hold the model without the rule: rescoring with it changes nothing
            assertThat(api(i).post("/api/v1/scoring/rescore/preview", "{}")
                            .json()
                            .get("changed")
                            .asLong())
                    .isZero();
        }
        assertThat(api(0).post("/api/v1/scoring-rules", """
                        {"name":"cluster %s","activityType":"CUSTOM","customName":"cluster-%s","points":7}""".formatted(run, run)).status())
                .isEqualTo(201);
        await("the rule in the model of B and C")
                .atMost(Duration.ofSeconds(1))
                .until(() -> api(1).post("/api/v1/scoring/rescore/preview", "{}")
                                        .json()
                                        .get("changed")
                                        .asLong()
                                == 1
                        && api(2).post("/api/v1/scoring/rescore/preview", "{}")
                                        .json()
                                        .get("changed")
                                        .asLong()
                                == 1);
    }

    @Test
    void theSalesforceCycleRunsOnOneInstanceAtATimeAndOncePerIntervalForAll() throws Exception {
        await("three cycles")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cycles().size() >= 3);
        List<Timestamp[]> cycles = cycles();
        for (int i = 1; i < cycles.size(); i++) {
            Timestamp[] before = cycles.get(i - 1);
            Timestamp[] cycle = cycles.get(i);
            assertThat(cycle[0])
                    .as("a cycle starts after the one before it finished")
                    .isAfterOrEqualTo(before[1]);
            assertThat(Duration.between(before[0].toInstant(), cycle[0].toInstant()))
                    .as("one cycle per interval, whichever instance runs it")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(CYCLE_SECONDS));
        }
        // the operator sees each instance's runs and failures of the job
        for (int i = 0; i < instances.size(); i++) {
            String metrics = api(i).get("/actuator/prometheus").body();
            assertThat(metrics)
                    .contains("kindling_job_runs_total{job=\"salesforce\"}")
                    .contains("kindling_job_failures_total{job=\"salesforce\"}")
                    .contains("kindling_job_last_success{job=\"salesforce\"}");
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it kills one of the instances
    void aKillDashNineOfOneInstanceDuringIntakeLosesNoAcceptedActivityAndProcessesNoneTwice() throws Exception {
        String type = "intake-" + run;
        // a point per activity, in every instance's model: rescoring a first activity with it changes one more
        // prospect than before, on each instance
        TestApi.Response first = api(0).post(
                        "/api/v1/activities",
                        "{\"activities\":[" + activity("first-" + run + "@cluster.example", type) + "]}");
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        IntakeProgress.awaitDrained(api(0));
        long[] before = new long[instances.size()];
        for (int i = 0; i < instances.size(); i++) {
            before[i] = previewChanged(i);
        }
        TestApi.Response rule = api(0).post("/api/v1/scoring-rules", """
                {"name":"intake %s","activityType":"CUSTOM","customName":"%s","points":1}""".formatted(run, type));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        long ruleId = rule.json().get("id").asLong();
        await("the rule in every instance's model")
                .atMost(Duration.ofSeconds(5))
                .until(() -> previewChanged(0) == before[0] + 1
                        && previewChanged(1) == before[1] + 1
                        && previewChanged(2) == before[2] + 1);

        int prospects = 20;
        int perProspect = 150;
        for (int p = 0; p < prospects; p++) {
            assertThat(api(0).post("/api/v1/prospects", "{\"email\":\"kill-" + p + "-" + run + "@cluster.example\"}")
                            .status())
                    .isEqualTo(201);
        }
        // A is killed as soon as the intake has work left after a batch: on a quiet machine the three instances had
        // processed all of it before the last batch was answered
        long pending = 0;
        for (int from = 0; from < prospects; from += 3) {
            // batches of three prospects' activities, accepted by B
            StringBuilder batch = new StringBuilder();
            for (int p = from; p < Math.min(prospects, from + 3); p++) {
                for (int i = 0; i < perProspect; i++) {
                    batch.append(batch.isEmpty() ? "" : ",")
                            .append(activity("kill-" + p + "-" + run + "@cluster.example", type));
                }
            }
            TestApi.Response accepted = api(1).post("/api/v1/activities", "{\"activities\":[" + batch + "]}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            if (pending == 0) {
                pending = api(1).get("/api/v1/system/intake")
                        .json()
                        .get("pending")
                        .asLong();
                if (pending > 0) {
                    instances.get(0).kill();
                }
            }
        }
        assertThat(pending).as("killed while the intake had work left").isPositive();

        IntakeProgress.awaitDrained(api(1), Duration.ofMinutes(3));
        try (Connection c = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT count(*), count(DISTINCT activity_id) FROM score_ledger WHERE rule_id = """ + ruleId)) {
            rs.next();
            assertThat(rs.getLong(2)).as("every accepted activity scored").isEqualTo((long) prospects * perProspect);
            assertThat(rs.getLong(1)).as("none scored twice").isEqualTo(rs.getLong(2));
        }
    }

    private long previewChanged(int instance) {
        return api(instance)
                .post("/api/v1/scoring/rescore/preview", "{}")
                .json()
                .get("changed")
                .asLong();
    }

    private static String activity(String email, String type) {
        return """
                {"externalId":"%s","email":"%s","type":"CUSTOM","customName":"%s","occurredAt":"%s"}""".formatted(
                        UUID.randomUUID(),
                        email,
                        type,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30));
    }

    /** The cycles recorded so far, oldest first: when each started and finished. */
    private List<Timestamp[]> cycles() throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT started_at, max(finished_at) FROM salesforce_cycle
                         GROUP BY started_at ORDER BY started_at""")) {
            List<Timestamp[]> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)});
            }
            return out;
        }
    }

    private int port(int instance) {
        return Integer.parseInt(instances
                .get(instance)
                .api()
                .base()
                .substring(instances.get(instance).api().base().lastIndexOf(':') + 1));
    }

    private TestApi api(int instance) {
        return instances.get(instance).api();
    }

    /** nginx from the distribution, round-robin over the three, as a child process of its own. */
    private void startNginx() throws Exception {
        balancerPort = freePort();
        StringBuilder upstream = new StringBuilder();
        for (int i = 0; i < instances.size(); i++) {
            upstream.append("    server 127.0.0.1:").append(port(i)).append(";\n");
        }
        Path conf = work.resolve("nginx.conf");
        Files.writeString(conf, """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream kindling {
                %2$s  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://kindling;
                      proxy_set_header Host $http_host;
                      proxy_set_header X-Forwarded-For $remote_addr;
                    }
                  }
                }
                """.formatted(work, upstream, balancerPort));
        Path log = KindlingProcess.JAR.resolveSibling("kindling-processes").resolve("cluster-nginx.log");
        nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", work.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        TestApi balancer = new TestApi(balancerPort, null);
        await("nginx listening; see " + log.toAbsolutePath())
                .atMost(Duration.ofSeconds(30))
                .ignoreException(java.io.UncheckedIOException.class)
                .until(() -> {
                    assertThat(nginx.isAlive()).as("nginx runs").isTrue();
                    return balancer.get("/actuator/health").status() == 200;
                });
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (KindlingProcess instance : instances) {
            stopping.add(CompletableFuture.runAsync(() -> {
                try {
                    instance.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        stopping.forEach(CompletableFuture::join);
    }
}
