package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kindling.support.Browser;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.KindlingProcess;
import dev.kindling.support.PackagedDemo;
import dev.kindling.support.TestApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

/**
 * Kindling as an operator runs it: the packaged jar, the embedded PostgreSQL in a data directory
 * of its own, configured only by the environment. Two instances run side by side; the demo one
 * fills its empty database and processes the demo activities; a restart keeps everything. Both first starts are
 * {@code java -jar kindling.jar}; the restart runs the same jar extracted ({@link KindlingProcess.Launch#EXTRACTED}).
 * The demo instance is the run's one ({@link PackagedDemo}), which {@code DemoFunnelIT} looks at too.
 */
// runs beside the shared contexts' classes, one such class at a time (docs/testing.md)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(IntegrationTest.BESIDE)
class DefaultRunIT {

    private static final String KEY = "kdl_default_run_key_0123456789abcdef";

    @RegisterExtension
    static Browser browser = new Browser();

    /** The demo as a newcomer starts it: no password given, so it is generated and printed. */
    @RegisterExtension
    static PackagedDemo packagedDemo = new PackagedDemo();

    @TempDir
    Path plainDir;

    private KindlingProcess demo;
    private KindlingProcess plain;

    @AfterEach
    void stop() throws Exception {
        // the demo instance is the run's: stopped when the run ends
        if (plain != null) {
            plain.close();
        }
    }

    @Test
    void twoInstancesRunSideBySideTheDemoOneShowsDataAndRestartsKeepEverything() throws Exception {
        // the demo, started with the class (or for an earlier class of the run) and running meanwhile
        demo = packagedDemo.process();
        // no admin credentials given: generated and printed once
        plain = KindlingProcess.start(
                "plain", plainDir, KEY, Map.of("KINDLING_ADMIN_API_KEY", "", "KINDLING_ADMIN_PASSWORD", ""), List.of());
        String firstLog = Files.readString(plain.log());
        Matcher generated =
                Pattern.compile("generated API key: (kdl_[0-9a-f]{64})").matcher(firstLog);
        assertThat(generated.find()).as("the generated key is printed").isTrue();
        assertThat(firstLog).contains("generated password: ");
        assertThat(firstLog).as("the default database is durable").contains("fsync=on, synchronous_commit=on");
        String generatedKey = generated.group(1);
        TestApi plainApi = plain.api().as(generatedKey);
        assertThat(plainApi.get("/api/v1/prospects?limit=1").json().get("items"))
                .isEmpty();
        var created = plainApi.post("/api/v1/prospects", "{\"email\":\"kept@restart.example\",\"company\":\"Kept\"}");
        assertThat(created.status()).isEqualTo(201);
        // every shipped program template can be instantiated on a fresh install (no custom fields, no data)
        JsonNode templates = plainApi.get("/api/v1/programs/templates").json().get("items");
        assertThat(templates).hasSize(4);
        for (JsonNode template : templates) {
            var program = plainApi.post(
                    "/api/v1/programs",
                    "{\"template\":\"" + template.get("template").asString() + "\"}");
            assertThat(program.status())
                    .as(template.get("template") + ": " + program.body())
                    .isEqualTo(201);
        }

        plain.stop();
        assertThat(Files.readString(plain.log()))
                .as("an orderly stop ends the app's work before its embedded database, which stops last")
                .contains("Intake processing stopped", "kindling - Shutdown completed")
                .doesNotContain("terminating connection due to administrator command", "SQLSTATE(57P01)");
        // the restart runs the same jar extracted: what it shows (the data kept, nothing printed again, a new key
        // ignored) does not depend on the launch, the first start above is the shipped command (docs/testing.md)
        plain = KindlingProcess.start(
                "plain-restarted",
                plainDir,
                "kdl_ignored_after_first_start_0000000",
                Map.of(),
                List.of(),
                KindlingProcess.Launch.EXTRACTED);
        TestApi restarted = plain.api().as(generatedKey);
        assertThat(Files.readString(plain.log()))
                .as("printed once: not again on restart")
                .doesNotContain("generated");
        JsonNode kept = restarted.prospectsByEmail("kept@restart.example");
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).get("company").asString()).isEqualTo("Kept");
        assertThat(plain.api().get("/api/v1/prospects").status())
                .as("the admin key is created on first start only")
                .isEqualTo(401);

        // meanwhile the demo has been loading
        TestApi demoApi = demo.api();
        JsonNode demoStatus = awaitDemoProcessed(demoApi);
        firstHourInTheBrowser();
        assertThat(demoStatus.get("pending").asLong()).isZero();
        assertThat(demoApi.get("/api/v1/prospects?stage=CAPTURED&limit=500")
                        .json()
                        .get("items"))
                .hasSize(500);
        assertThat(demoApi.prospectsByEmail("kept@restart.example")).isEmpty();
        JsonNode someone =
                demoApi.get("/api/v1/prospects?limit=1").json().get("items").get(0);
        assertThat(demoApi.get("/api/v1/prospects/" + someone.get("id").asLong() + "/activities")
                        .json()
                        .get("items"))
                .isNotEmpty();
    }

    /**
     * The first hour: the start log's closing block says where to go and how to sign in, lists the demo users, and a
     * later line says when the demo has loaded; signed in with the printed password, the pages have the demo in them.
     */
    private void firstHourInTheBrowser() throws Exception {
        String startLog = Files.readString(demo.log());
        Matcher ready = Pattern.compile(
                        "Kindling is ready at (http://localhost:(\\d+)) — sign in as admin@kindling.local"
                                + " with password (\\S+)\\n(.*)\\n(.*)\\n=+")
                .matcher(startLog);
        assertThat(ready.find()).as("the closing block of the start log").isTrue();
        assertThat(ready.group(4) + ready.group(5)).contains("loading in the background", "morgan@demo.kindling.local");
        await("the demo says it has loaded")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(demo.log()).contains("Demo data: finished loading"));

        browser.at(Integer.parseInt(ready.group(2))).signIn("admin@kindling.local", ready.group(3));
        browser.open("/prospects");
        assertThat(browser.driver().findElements(By.cssSelector("#prospects tbody tr[data-prospect-id]")))
                .isNotEmpty();
        browser.open("/reports/funnel");
        assertThat(browser.driver().findElements(By.cssSelector("#funnel-chart")))
                .isNotEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("#steps td.count")).stream()
                        .filter(td -> !td.getText().equals("0"))
                        .count())
                .as("the funnel has the demo in it")
                .isGreaterThanOrEqualTo(2);
        // the configured team: lists, running rules, email templates, the four programs
        for (Map.Entry<String, Integer> page : Map.of(
                        "/lists #lists", 5, "/automation #rules", 2, "/emails #templates", 4, "/programs #programs", 4)
                .entrySet()) {
            String[] pathAndTable = page.getKey().split(" ");
            browser.open(pathAndTable[0]);
            assertThat(browser.driver().findElements(By.cssSelector(pathAndTable[1] + " tbody tr")))
                    .as(pathAndTable[0])
                    .hasSizeGreaterThanOrEqualTo(page.getValue());
        }
        browser.open("/programs");
        assertThat(browser.text("#programs")).contains("RUNNING").doesNotContain("DRAFT");
        // the other classes may have the browser while this one stops its instances
        browser.release();
    }

    private static JsonNode awaitDemoProcessed(TestApi api) {
        return await("the demo data loaded and processed")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> api.get("/api/v1/prospects?limit=500")
                                                .json()
                                                .get("items")
                                                .size()
                                        == 500
                                ? api.get("/api/v1/system/intake").json()
                                : null,
                        status -> status != null && status.get("pending").asLong() == 0);
    }
}
