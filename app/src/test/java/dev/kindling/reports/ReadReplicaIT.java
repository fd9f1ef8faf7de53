package dev.kindling.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.KindlingApplication;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.PostgresPair;
import dev.kindling.support.TestApi;
import dev.kindling.support.TestDatabaseConfiguration;
import dev.kindling.support.UiSession;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * Reports on a read replica: the app on a primary of Debian's PostgreSQL with a streaming standby of it as its read
 * database ({@link PostgresPair}). A context of its own, closed after the class with the pair: the shared contexts'
 * databases live on the embedded PostgreSQL, whose cluster no Debian standby can replicate, and a shared context
 * whose reports read a replica would make every other report test wait for replay (docs/testing.md).
 */
@SpringBootTest(
        // named, not searched for: Spring Boot's search read the class files of each test class's package and
        // every package above it (docs/testing.md)
        classes = KindlingApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "kindling.admin.api-key=" + TestApi.ADMIN_KEY,
            "kindling.admin.password=" + TestApi.ADMIN_PASSWORD,
            // BCrypt at its least cost: at the default (10) the tests' sign-ins and new users took a fifth of the
            // test JVM's CPU (docs/testing.md); the packaged app's tests run the default
            "kindling.security.password-cost=4",
            "kindling.public-url=" + TestApi.PUBLIC_URL,
            "kindling.data-dir=${java.io.tmpdir}/kindling-test-replica-data",
            "kindling.db.read.max-lag=" + ReadReplicaIT.BOUND_SECONDS + "s"
        })
// runs beside the shared contexts' classes, one such class at a time (docs/testing.md)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(IntegrationTest.BESIDE)
@DirtiesContext
@ContextConfiguration(initializers = ReadReplicaIT.Pair.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaIT {

    /**
     * The replica's bound: the second test waits for the paused replica to fall this far behind (its wall time), and the
     * first reads the paused replica within it (a few requests after a replayed commit: about a second, longer under
     * load). 10 s before.
     */
    static final int BOUND_SECONDS = 6;

    /**
     * Starts the pair and points the app at it before the context refreshes (see {@code TestDatabaseConfiguration} for
     * why not a {@code DynamicPropertyRegistrar} bean); the pair stops when the context has closed.
     */
    static class Pair implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            PostgresPair pair = PostgresPair.start();
            var beans = (DefaultListableBeanFactory) context.getBeanFactory();
            beans.registerSingleton("postgresPair", pair);
            beans.registerDisposableBean("postgresPair", pair::close); // the first bean made, the last one closed
            TestDatabaseConfiguration.addTestProperties(
                    context,
                    "kindling-replica-pair",
                    Map.of(
                            "kindling.db.url", pair.primaryUrl(),
                            "kindling.db.user", pair.user(),
                            "kindling.db.password", "unused",
                            "kindling.db.read.url", pair.replicaUrl()));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    PostgresPair pair;

    @Test
    @Order(1)
    void reportsReadTheReplicaAndTheirPagesSayHowCurrentItIs() {
        TestApi api = new TestApi(port);
        UiSession ui = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        for (String page : new String[] {
            "/reports/funnel", "/reports/kpis", "/reports/weekly", "/reports/attribution", "/reports/closed-loop"
        }) {
            assertThat(ui.get(page).body())
                    .as(page)
                    .contains("data-source=\"REPLICA\"")
                    .containsPattern(
                            "Data as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\(read replica, lag (&lt;|≤) \\d+ s;"
                                    + " reports read the primary when the replica is more than " + BOUND_SECONDS
                                    + " s behind\\)");
        }
        // a commit just replayed: the replica's lag starts from about 0 when its replay is paused
        capture(api, "seen");
        pair.awaitReplayed();
        pair.pauseReplay();
        long before;
        try {
            before = capturedToday(api);
            capture(api, "unreplayed");
            assertThat(capturedToday(api))
                    .as("the report reads the replica, which has not applied the new prospect")
                    .isEqualTo(before);
            assertThat(ui.get("/reports/funnel").body()).contains("data-source=\"REPLICA\"");
        } finally {
            pair.resumeReplay();
        }
        await("the replica applies the new prospect and the report shows it")
                .atMost(Duration.ofSeconds(30))
                .until(() -> capturedToday(api) == before + 1);
    }

    @Test
    @Order(2)
    void reportsReadThePrimaryWhenTheReplicaIsFurtherBehindThanItsBound() {
        TestApi api = new TestApi(port);
        pair.awaitReplayed();
        long before = capturedToday(api);
        UiSession ui = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD);
        pair.pauseReplay();
        try {
            capture(api, "behind");
            // the lag grows with the clock alone, so this lasts the bound whatever the interval; each look renders the
            // funnel page, which at the run's 20 ms was 500 renders (docs/testing.md)
            await("the replica falls more than " + BOUND_SECONDS + " s behind")
                    .atMost(Duration.ofSeconds(BOUND_SECONDS + 60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> ui.get("/reports/funnel").body().contains("data-source=\"PRIMARY_REPLICA_BEHIND\""));
            assertThat(ui.get("/reports/funnel").body())
                    .containsPattern("\\(primary: the read replica is \\d+ s behind, more than the " + BOUND_SECONDS
                            + " s allowed\\)");
            assertThat(capturedToday(api))
                    .as("the report reads the primary, which has the new prospect")
                    .isEqualTo(before + 1);
        } finally {
            pair.resumeReplay();
        }
        await("the replica catches up and reports read it again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> ui.get("/reports/funnel").body().contains("data-source=\"REPLICA\""));
    }

    @Test
    @Order(3)
    void reportsAndExportsReadThePrimaryWhenTheReplicaIsDown() {
        TestApi api = new TestApi(port);
        pair.awaitReplayed();
        long before = capturedToday(api);
        pair.stopReplica();
        capture(api, "down");

        assertThat(capturedToday(api)).isEqualTo(before + 1);
        String csv = api.send(api.request(lifecyclePath())
                        .header("Accept", "text/csv")
                        .build())
                .body();
        assertThat(csv).contains("CAPTURED");
        String html = UiSession.signedIn(port, "admin@kindling.local", TestApi.ADMIN_PASSWORD)
                .get("/reports/funnel")
                .body();
        assertThat(html)
                .contains("data-source=\"PRIMARY_REPLICA_UNAVAILABLE\"")
                .contains("(primary: the read replica did not answer)");
    }

    private static void capture(TestApi api, String tag) {
        String email = tag + "-" + UUID.randomUUID() + "@replica.example";
        TestApi.Response created = api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** The lifecycle report's count of prospects captured yesterday and today. */
    private static long capturedToday(TestApi api) {
        TestApi.Response report = api.get(lifecyclePath());
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        for (JsonNode step : report.json().get("total").get("steps")) {
            if (step.get("stage").asString().equals("CAPTURED")) {
                return step.get("count").asLong();
            }
        }
        throw new AssertionError("no CAPTURED step in " + report.body());
    }

    private static String lifecyclePath() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return "/api/v1/reports/lifecycle?from=" + today.minusDays(1) + "&to=" + today;
    }
}
