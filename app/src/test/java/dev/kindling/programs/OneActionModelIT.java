package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Rules, completion actions and program steps share one action model and one codec: a program step takes the
 * rules' actions under the same names and checks, only a program step sends email, and programs stored in the
 * programs' former action names are rewritten to the one form by migration V410.
 */
@IntegrationTest
class OneActionModelIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    ProgramSweeper sweeper;

    TestApi api;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aProgramStepTakesTheRulesActionsUnderTheirNamesAndWritesThemInTheOneForm() {
        TestApi.Response created = api.post("/api/v1/programs", program("""
                {"id":"tell","type":"ACTION","action":{"type":"notifyUser","message":"Look at {{email}}"},"next":"route"},
                {"id":"route","type":"ACTION","action":{"type":"assign","territoryRules":true},"next":"score"},
                {"id":"score","type":"ACTION","action":{"type":"setScore","score":40},"next":"task"},
                {"id":"task","type":"ACTION","action":{"type":"createTask","subject":"Call"},"next":"end"},
                {"id":"end","type":"END"}"""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        List<String> actions = actions(created.json().get("id").asLong());
        assertThat(actions)
                .containsExactly(
                        "{\"type\":\"notifyUser\",\"userId\":\"owner\",\"message\":\"Look at {{email}}\"}",
                        "{\"type\":\"assign\",\"territoryRules\":true,\"forced\":false}",
                        "{\"type\":\"setScore\",\"score\":40}",
                        "{\"type\":\"createTask\",\"subject\":\"Call\",\"dueInHours\":24,\"userId\":\"owner\"}");
    }

    @Test
    void aProgramStepsNotificationRunsThroughTheRulesExecutorTitledAfterTheProgram() {
        String domain = "@one-action-" + run + ".example";
        TestApi.Response owner = api.post("/api/v1/users", """
                {"email":"owner%s","name":"Owner","role":"SALES"}""".formatted(domain));
        assertThat(owner.status()).as(owner.body()).isEqualTo(201);
        TestApi.Response lead = api.post("/api/v1/prospects", "{\"email\":\"lead" + domain + "\"}");
        assertThat(lead.status()).as(lead.body()).isEqualTo(201);
        long prospect = lead.json().get("id").asLong();
        jdbc.sql("UPDATE prospect SET owner_id = :o WHERE id = :p")
                .param("o", owner.json().get("id").asLong())
                .param("p", prospect)
                .update();
        long listId =
                TestApi.created(api.post("/api/v1/lists", "{\"name\":\"One action " + run + "\",\"kind\":\"STATIC\"}"));
        assertThat(api.post("/api/v1/lists/" + listId + "/members", "{\"prospectIds\":[" + prospect + "]}")
                        .status())
                .isEqualTo(200);
        long program = TestApi.created(api.post("/api/v1/programs", """
                {"name":"Welcome %s","start":"tell","recipientListIds":[%d],"steps":[
                  {"id":"tell","type":"ACTION","action":{"type":"notifyUser","message":"{{email}} joined"},"next":"end"},
                  {"id":"end","type":"END"}]}""".formatted(run, listId)));
        assertThat(api.post("/api/v1/programs/" + program + "/start", "").status())
                .isEqualTo(200);

        sweeper.runDue();

        // the app's own sweeper may have taken the enrollment first: its transaction holds the notice until it commits
        List<JsonNode> mails = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            mails.clear();
            api.get("/api/v1/outbox?limit=500").json().get("items").forEach(item -> {
                if (item.get("to").asString().equals("owner" + domain)) {
                    mails.add(item);
                }
            });
            assertThat(mails).hasSize(1);
        });
        JsonNode mail =
                api.get("/api/v1/outbox/" + mails.get(0).get("id").asLong()).json();
        assertThat(mail.get("subject").asString()).isEqualTo("Program \"Welcome " + run + "\"");
        assertThat(mail.get("text").asString()).startsWith("lead" + domain + " joined");
    }

    @Test
    void aProgramStepsActionIsCheckedByTheSameCodecAsARulesNamingTheStepsPath() {
        TestApi.Response refused = api.post("/api/v1/programs", program("""
                {"id":"a","type":"ACTION","action":{"type":"notify","message":"the programs' former name"},"next":"b"},
                {"id":"b","type":"ACTION","action":{"type":"adjustScore","points":0},"next":"c"},
                {"id":"c","type":"ACTION","action":{"type":"assign","teamId":1,"userId":2},"next":"d"},
                {"id":"d","type":"ACTION","action":{"type":"notifyUser","message":"{{password}}"},"next":"end"},
                {"id":"end","type":"END"}"""));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder(
                        "steps[0].action.type",
                        "steps[1].action.points",
                        "steps[2].action.teamId",
                        "steps[3].action.message");
    }

    @Test
    void onlyAProgramStepSendsEmail() {
        TestApi.Response rule = api.post("/api/v1/automation-rules", """
                {"name":"Send %s","condition":{"field":"email","op":"endsWith","value":"@none-%s.example"},
                 "actions":[{"type":"sendEmail","templateId":"1"}]}""".formatted(run, run));
        assertThat(rule.status()).as(rule.body()).isEqualTo(400);
        assertThat(rule.json().get("errors").get(0).get("field").asString()).isEqualTo("actions[0].type");
        assertThat(rule.json().get("errors").get(0).get("message").asString())
                .contains("only a program step sends email");

        TestApi.Response step = api.post("/api/v1/programs", program("""
                {"id":"send","type":"ACTION","action":{"type":"sendEmail","templateId":"987654321"},"next":"end"},
                {"id":"end","type":"END"}"""));
        assertThat(step.status()).as(step.body()).isEqualTo(400);
        assertThat(step.json().get("errors").get(0).get("field").asString()).isEqualTo("steps[0].action.templateId");
    }

    @Test
    void programsStoredWithTheProgramsFormerActionNamesAreRewrittenToTheOneFormByTheMigration() throws Exception {
        // a program as the programs stored it before one action model, written behind the API (which caches what it
        // reads), as it stood when V410 ran; inserted and migrated in one transaction, so that no other class's
        // request (each settle reads every program's definitions) ever sees the former form, which only V410 reads
        long id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                id = insertFormerProgram(c);
                migrate(c);
                migrate(c); // once more: what the one form holds already stays as it is
                c.commit();
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        }

        assertThat(actions(id))
                .containsExactly(
                        "{\"type\":\"notifyUser\",\"userId\":\"owner\",\"message\":\"Owner, look\"}",
                        "{\"type\":\"notifyUser\",\"userId\":5,\"message\":\"You, look\"}",
                        "{\"type\":\"assign\",\"userId\":5,\"forced\":false}",
                        "{\"type\":\"assign\",\"teamId\":6,\"forced\":false}",
                        "{\"type\":\"assign\",\"territoryRules\":true,\"forced\":false}",
                        "{\"type\":\"createTask\",\"subject\":\"Call\",\"dueInHours\":48,\"userId\":\"owner\"}",
                        "{\"type\":\"setField\",\"field\":\"country\",\"value\":\"DE\"}",
                        "{\"type\":\"setField\",\"field\":\"jobTitle\",\"value\":null}");
    }

    private long insertFormerProgram(Connection c) throws Exception {
        long id;
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO program (name, status, current_version, created_at)
                VALUES (?, 'DRAFT', 1, now()) RETURNING id""")) {
            s.setString(1, "Old " + run);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO program_version (program_id, version, definition, created_at)
                VALUES (?, 1, CAST(? AS jsonb), now())""")) {
            s.setLong(1, id);
            s.setString(2, """
                    {"name":"Old %s","start":"n1","recipientListIds":[],"suppressionListIds":[],"reEntry":"NEVER",
                     "steps":[
                      {"id":"n1","type":"ACTION","action":{"type":"notify","message":"Owner, look"},"next":"n2"},
                      {"id":"n2","type":"ACTION","action":{"type":"notify","userId":5,"message":"You, look"},"next":"a1"},
                      {"id":"a1","type":"ACTION","action":{"type":"assign","to":"USER","id":5},"next":"a2"},
                      {"id":"a2","type":"ACTION","action":{"type":"assign","to":"TEAM","id":6},"next":"a3"},
                      {"id":"a3","type":"ACTION","action":{"type":"assign","to":"TERRITORY_RULES"},"next":"t1"},
                      {"id":"t1","type":"ACTION","action":{"type":"createTask","subject":"Call","dueInHours":48},"next":"f1"},
                      {"id":"f1","type":"ACTION","action":{"type":"setField","field":"country","value":" de "},"next":"f2"},
                      {"id":"f2","type":"ACTION","action":{"type":"setField","field":"jobTitle","value":""},"next":"w"},
                      {"id":"w","type":"WAIT","days":1,"next":"end"},
                      {"id":"end","type":"END"}]}""".formatted(run));
            s.executeUpdate();
        }
        return id;
    }

    /** Runs migration V410 again, as Flyway ran it: one script on one connection (here in the caller's transaction). */
    private static void migrate(Connection c) throws Exception {
        String script = new ClassPathResource("db/migration/V410__one_action_model.sql")
                .getContentAsString(StandardCharsets.UTF_8);
        try (Statement s = c.createStatement()) {
            s.execute(script);
        }
    }

    private String program(String steps) {
        String first = steps.substring(steps.indexOf("\"id\":\"") + 6);
        first = first.substring(0, first.indexOf('"'));
        return "{\"name\":\"Actions " + run + " " + UUID.randomUUID() + "\",\"start\":\"" + first + "\",\"steps\":["
                + steps + "]}";
    }

    /** The actions of the program's first version, as the API writes them, in step order. */
    private List<String> actions(long program) {
        JsonNode definition =
                api.get("/api/v1/programs/" + program + "/versions/1").json();
        List<String> out = new ArrayList<>();
        for (JsonNode step : definition.get("steps")) {
            if (step.has("action")) {
                out.add(step.get("action").toString());
            }
        }
        return out;
    }
}
