package dev.kindling.capture.forms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.intake.IntakeProgress;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.prospects.Prospects;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Form posts stored together (group commit, {@link FormPosts}) are stored exactly as each alone would be, and the
 * forms the handler keeps in memory follow every change, made here or announced by another instance.
 */
@IntegrationTest
class FormPostsIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FormDesigns designs;

    @Autowired
    FormSubmissions submissions;

    @Autowired
    Prospects prospects;

    TestApi api;
    String run;

    @Autowired
    CaptureRateLimits rateLimits;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        rateLimits.reset();
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    private String createForm(String actions) {
        String key = "posts-" + run + "-" + UUID.randomUUID().toString().substring(0, 4);
        TestApi.Response created = api.post("/api/v1/forms", """
                {"key":"%s","name":"Posts %s","fieldMapping":{"email":"email","first":"firstName","org":"company"},
                 "requiredFields":["firstName"],"successUrl":"https://www.example.com/thanks",
                 "errorUrl":"https://www.example.com/oops","completionActions":%s}""".formatted(key, run, actions));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return key;
    }

    private FormSubmissions.Valid valid(Form form, Map<String, String> posted) {
        FormSubmissions.Checked checked = FormSubmissions.check(form, posted, Set.of(), prospects.customFields());
        assertThat(checked.errors()).isEmpty();
        return new FormSubmissions.Valid(
                form, checked.changes(), new FormSubmissions.Origin(null, null, "Test", false), Instant.now());
    }

    private long prospect(String email, String body) {
        TestApi.Response created = api.post("/api/v1/prospects", "{\"email\":\"" + email + "\"" + body + "}");
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        return created.json().get("id").asLong();
    }

    private long count(String sql, Object... params) {
        var statement = jdbc.sql(sql);
        for (Object p : params) {
            statement = statement.param(p);
        }
        return statement.query(Long.class).single();
    }

    private List<String> row(String sql, Object param) {
        return jdbc.sql(sql)
                .param(param)
                .query((rs, n) -> {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(rs.getString(i));
                    }
                    return values;
                })
                .single();
    }

    @Test
    void postsStoredTogetherAreStoredAsEachAloneWouldBe() {
        String key = createForm("[{\"type\":\"adjustScore\",\"points\":5}]");
        Form form = designs.findByKey(key).orElseThrow().form();
        String domain = "acme-" + run + ".example";
        String ada = "ada@" + domain;
        String bob = "bob@" + domain;
        String known = "known-" + run + "@known.example";
        long knownId = prospect(known, ",\"firstName\":\"Kim\",\"lastName\":\"Known\",\"company\":\"Known Inc\"");
        long loser = prospect("old-" + run + "@merged.example", "");
        long survivor = prospect("new-" + run + "@merged.example", ",\"firstName\":\"Sue\"");
        TestApi.Response merged = api.post(
                "/api/v1/prospects/" + survivor + "/merge",
                "{\"loserId\":" + loser + ",\"fields\":{\"email\":\"survivor\",\"firstName\":\"survivor\"}}");
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);

        List<Long> ids = submissions.submitAll(List.of(
                valid(form, Map.of("email", ada, "first", "Ada", "org", "Acme Corporation")),
                valid(form, Map.of("email", bob, "first", "Bob", "org", "Not The Account Name")),
                valid(form, Map.of("email", ada, "first", "Adele", "org", "")),
                valid(form, Map.of("email", known, "first", "Kimberly")),
                valid(form, Map.of("email", "old-" + run + "@merged.example", "first", "Susan"))));

        long adaId = count("SELECT id FROM prospect WHERE email = ?", ada);
        long bobId = count("SELECT id FROM prospect WHERE email = ?", bob);
        assertThat(ids).containsExactly(adaId, bobId, adaId, knownId, survivor);
        // the later post's values win, an empty optional field clears nothing
        assertThat(row("SELECT first_name, company FROM prospect WHERE id = ?", adaId))
                .containsExactly("Adele", "Acme Corporation");
        // a new domain's account is named by the first post's company, as a single upsert names it
        assertThat(row("SELECT a.name FROM prospect p JOIN account a ON a.id = p.account_id WHERE p.id = ?", bobId))
                .containsExactly("Acme Corporation");
        assertThat(row("SELECT first_name, last_name, company FROM prospect WHERE id = ?", knownId))
                .containsExactly("Kimberly", "Known", "Known Inc");
        // a merged-away address updates the prospect it was merged into, which keeps its own address
        assertThat(row("SELECT first_name, email FROM prospect WHERE id = ?", survivor))
                .containsExactly("Susan", "new-" + run + "@merged.example");
        // new prospects are captured by the form; the known one is not captured again
        assertThat(count(
                        "SELECT count(*) FROM stage_transition WHERE prospect_id = ANY(?) AND cause = ?",
                        new Long[] {adaId, bobId, knownId, survivor},
                        "form:" + key))
                .isEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE type = 'FORM_SUBMIT' AND prospect_id = ? AND properties->>'formKey' = ?",
                        adaId,
                        key))
                .isEqualTo(2);
        // the completion actions ran once per post
        IntakeProgress.awaitDrained(api);
        assertThat(count(
                        "SELECT count(*) FROM score_ledger WHERE prospect_id = ANY(?) AND kind = 'AUTOMATION' AND reason = ?",
                        new Long[] {adaId, bobId, knownId, survivor},
                        "form:" + key))
                .isEqualTo(5);
    }

    @Test
    void anErasedPersonsAddressAmongPostsStoredTogetherStoresNoneOfThem() throws Exception {
        String key = createForm("[]");
        Form form = designs.findByKey(key).orElseThrow().form();
        String email = "gone-" + run + "@erased.example";
        long id = prospect(email, "");
        assertThat(api.post("/api/v1/prospects/" + id + "/erase", "{\"confirm\":\"" + email + "\"}")
                        .status())
                .isEqualTo(200);
        String other = "fine-" + run + "@erased.example";

        assertThatThrownBy(() -> submissions.submitAll(List.of(
                        valid(form, Map.of("email", other, "first", "Fine")),
                        valid(form, Map.of("email", email, "first", "Gone")))))
                .isInstanceOf(ConflictException.class);
        assertThat(count("SELECT count(*) FROM prospect WHERE email = ? OR email = ?", other, email))
                .isZero();
        // through the handler each is stored alone: the erased person's post refused, the other stored
        assertThat(post(40, key, "email=" + email + "&first=Gone").statusCode()).isEqualTo(409);
        assertThat(post(41, key, "email=" + other + "&first=Fine").statusCode()).isEqualTo(303);
        assertThat(count("SELECT count(*) FROM prospect WHERE email = ?", other))
                .isEqualTo(1);
    }

    @Test
    void concurrentPostsAreEachStoredOrRejectedAsAlone() throws Exception {
        String key = createForm("[{\"type\":\"adjustScore\",\"points\":5}]");
        String known = "known-" + run + "@concurrent.example";
        long knownId = prospect(known, ",\"firstName\":\"Kim\"");
        int clients = 12;
        int each = 3;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<HttpResponse<Void>>>> answers = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                int client = c;
                answers.add(pool.submit(() -> {
                    start.await();
                    List<HttpResponse<Void>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        // every client posts a new address and the same shared one; client 0 also a post without
                        // the required first name, for the known prospect
                        mine.add(post(
                                client,
                                key,
                                "email=c" + client + "-" + i + "-" + run + "%40concurrent.example&first=C" + client));
                    }
                    mine.add(post(client, key, "email=shared-" + run + "%40concurrent.example&first=S" + client));
                    if (client == 0) {
                        mine.add(post(client, key, "email=" + known));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<HttpResponse<Void>> all = new ArrayList<>();
            for (Future<List<HttpResponse<Void>>> f : answers) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(clients * (each + 1) + 1);
            assertThat(all)
                    .filteredOn(
                            r -> r.headers().firstValue("Location").orElse("").equals("https://www.example.com/thanks"))
                    .hasSize(clients * (each + 1))
                    .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(303));
            assertThat(all)
                    .filteredOn(r ->
                            r.headers().firstValue("Location").orElse("").startsWith("https://www.example.com/oops"))
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM prospect WHERE email LIKE ?", "%-" + run + "@concurrent.example"))
                .isEqualTo(clients * each + 2);
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE type = 'FORM_SUBMIT' AND properties->>'formKey' = ?", key))
                .isEqualTo(clients * (each + 1));
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE type = 'FORM_ERROR' AND prospect_id = ?"
                                + " AND properties->>'formKey' = ?",
                        knownId,
                        key))
                .isEqualTo(1);
        assertThat(count(
                        "SELECT count(*) FROM activity WHERE type = 'FORM_SUBMIT' AND prospect_id = ?"
                                + " AND properties->>'formKey' = ?",
                        count("SELECT id FROM prospect WHERE email = ?", "shared-" + run + "@concurrent.example"),
                        key))
                .isEqualTo(clients);
        assertThat(row("SELECT first_name FROM prospect WHERE id = ?", knownId)).containsExactly("Kim");
        IntakeProgress.awaitDrained(api);
        assertThat(count("SELECT count(*) FROM score_ledger WHERE kind = 'AUTOMATION' AND reason = ?", "form:" + key))
                .isEqualTo(clients * (each + 1));
    }

    @Test
    void aChangedFormIsInForceForTheVeryNextPost() throws Exception {
        String key = createForm("[]");
        long id = count("SELECT id FROM form WHERE key = ?", key);
        assertThat(post(50, key, "email=a-" + run + "%40change.example&first=A")
                        .headers()
                        .firstValue("Location"))
                .contains("https://www.example.com/thanks");

        assertThat(api.patch("/api/v1/forms/" + id, "{\"successUrl\":\"https://www.example.com/changed\"}")
                        .status())
                .isEqualTo(200);
        assertThat(post(50, key, "email=b-" + run + "%40change.example&first=B")
                        .headers()
                        .firstValue("Location"))
                .contains("https://www.example.com/changed");

        assertThat(api.send(api.request("/api/v1/forms/" + id).DELETE().build()).status())
                .isEqualTo(204);
        assertThat(post(50, key, "email=c-" + run + "%40change.example&first=C").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aChangeAnnouncedByAnotherInstanceReachesThisOnesForms() throws Exception {
        String key = createForm("[]");
        assertThat(post(60, key, "email=a-" + run + "%40notify.example&first=A")
                        .headers()
                        .firstValue("Location"))
                .contains("https://www.example.com/thanks");
        // what another instance's change does here: the row changed, and the note on the configuration channel
        jdbc.sql("""
                        WITH changed AS (UPDATE form SET success_url = 'https://www.example.com/elsewhere'
                                          WHERE key = ? RETURNING id)
                        SELECT pg_notify('kindling_configuration', 'forms') FROM changed""").param(key).query().listOfRows();

        java.util.concurrent.atomic.AtomicInteger client = new java.util.concurrent.atomic.AtomicInteger(61);
        await("the other instance's change in force here")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(post(
                                        client.getAndIncrement() % 200 + 1,
                                        key,
                                        "email=n-" + UUID.randomUUID() + "%40notify.example&first=N")
                                .headers()
                                .firstValue("Location"))
                        .contains("https://www.example.com/elsewhere"));
    }

    /** A form post from a loopback address of its own per client (127.0.9.x): each has its own rate limit. */
    private HttpResponse<Void> post(int client, String key, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .localAddress(InetAddress.getByAddress(new byte[] {127, 0, 9, (byte) (10 + client)}))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/f/" + key))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) FormPostsIT")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
