package dev.kindling.demo;

import dev.kindling.platform.security.ApiKeys;
import dev.kindling.platform.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's configured team, so every page a newcomer opens has something real in it: dynamic and static lists,
 * running automation rules, email templates and a one-off send with a subject A/B test, the four program templates
 * running on lists, a form with submissions, a tracked link with clicks, and anonymous visitors. Written once the
 * demo's prospects are processed and its sales history is in (the lost-deal and customer lists need the deals).
 *
 * <p>It goes through the app's own public API and capture endpoints, exactly as a marketing-ops user would have
 * configured it: with an API key of the admin made for the purpose and revoked at the end, so every object is
 * validated and owned as usual and nothing here knows another capability's tables. A second start finds the lists
 * and changes nothing.
 */
@Component
public class DemoSetup {

    static final String WEBINAR_LIST = "Webinar invitees";

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A desktop browser: page views of a headless or missing user agent count as bots. */
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/140.0.0.0 Safari/537.36";

    private final JdbcClient jdbc;
    private final ApiKeys apiKeys;
    private final Environment environment;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    DemoSetup(JdbcClient jdbc, ApiKeys apiKeys, Environment environment) {
        this.jdbc = jdbc;
        this.apiKeys = apiKeys;
        this.environment = environment;
    }

    /** Configures the demo team unless it is there already; returns whether it did. */
    public boolean configure() throws IOException, InterruptedException {
        long admin = jdbc.sql("SELECT id FROM app_user WHERE role = 'ADMIN' ORDER BY id LIMIT 1")
                .query(Long.class)
                .single();
        String key = ApiKeys.newKey();
        long keyId = apiKeys.register(admin, "demo setup", Role.ADMIN, key);
        try {
            URI base = URI.create("http://localhost:" + environment.getProperty("local.server.port", "8080") + "/");
            Api api = new Api(base, key);
            if (api.get("/api/v1/lists").contains("\"" + WEBINAR_LIST + "\"")) {
                return false;
            }
            configure(api);
            return true;
        } finally {
            apiKeys.revoke(keyId);
        }
    }

    private void configure(Api api) throws IOException, InterruptedException {
        Random random = new Random(DemoData.SEED);
        List<JsonNode> people = new ArrayList<>();
        JSON.readTree(api.get("/api/v1/prospects?stage=ENGAGED&limit=60"))
                .get("items")
                .forEach(people::add);

        // lists: the program audiences and a few segments marketing watches
        long invitees = api.id(api.post("/api/v1/lists", "{\"name\":\"" + WEBINAR_LIST + "\",\"kind\":\"STATIC\"}"));
        api.post(
                "/api/v1/lists/" + invitees + "/members",
                "{\"prospectIds\":"
                        + people.stream()
                                .limit(40)
                                .map(p -> p.get("id").asLong())
                                .toList() + "}",
                200);
        long pricing = api.id(api.post("/api/v1/lists", "{\"name\":\"Pricing interest\",\"kind\":\"STATIC\"}"));
        long quiet = dynamic(api, "Quiet for six months", "{\"daysSinceLastActivity\":{\"gte\":180}}");
        long lost = dynamic(api, "Contacts of lost deals", "{\"opportunity\":{\"status\":[\"LOST\"]}}");
        long customers = dynamic(api, "Customers", "{\"stage\":{\"in\":[\"CUSTOMER\"]}}");
        dynamic(api, "Sales-ready (MQL and beyond)", "{\"stage\":{\"in\":[\"MQL\",\"SAL\",\"SQL\"]}}");
        dynamic(api, "Engaged in the last 30 days", "{\"activity\":{\"withinDays\":30}}");

        // automation rules, running
        rule(
                api,
                "Pricing page visitors",
                "{\"activity\":{\"type\":\"PAGE_VIEW\",\"urlContains\":\"pricing\"," + "\"withinDays\":90}}",
                "[{\"type\":\"addToList\",\"listId\":" + pricing + "}]");
        rule(
                api,
                "Webinar attendees to the invitee list",
                "{\"activity\":{\"type\":\"WEBINAR_ATTENDED\"}}",
                "[{\"type\":\"addToList\",\"listId\":" + invitees + "}]");

        // email templates, and a one-off send with a subject A/B test
        long newsletter = template(api, "Monthly newsletter", "What is new this month");
        long webinar = template(api, "Webinar follow-up", "Thanks for joining our webinar");
        long reactivate = template(api, "We have not heard from you", "Still looking for a better funnel?");
        long winBack = template(api, "After a lost deal", "A lot has changed since we last talked");
        long welcome = template(api, "Welcome aboard", "Welcome to the team");
        ObjectNode send = JSON.createObjectNode()
                .put("name", "Newsletter, subject test")
                .put("templateId", newsletter)
                .put("listId", invitees);
        ObjectNode ab = send.putObject("abTest")
                .put("testPercent", 50)
                .put("metric", "OPEN_RATE")
                .put("waitHours", 24);
        ab.putArray("subjects").add("What is new this month").add("Three ideas for your pipeline");
        api.post("/api/v1/email/sends", send.toString());

        // the four program templates, each on its audience, started
        program(api, "WEBINAR_FOLLOW_UP", "Webinar follow-up", invitees, webinar);
        program(api, "DORMANT_REACTIVATION", "Dormant reactivation", quiet, reactivate);
        program(api, "LOST_OPPORTUNITY_RE_ENGAGEMENT", "Lost-deal re-engagement", lost, winBack);
        program(api, "WON_CUSTOMER_ONBOARDING", "Customer onboarding", customers, welcome);

        // a form with submissions from known prospects, a tracked link with clicks, anonymous visitors
        api.post("/api/v1/forms", """
                {"key":"demo-contact","name":"Contact us","fieldMapping":{"email":"email","first_name":"firstName"},
                 "successUrl":"https://www.example.com/thanks"}""");
        for (JsonNode p : people.subList(40, Math.min(52, people.size()))) {
            api.submit(
                    "/f/demo-contact",
                    "email=" + URLEncoder.encode(p.get("email").asString(), StandardCharsets.UTF_8) + "&first_name="
                            + URLEncoder.encode(p.path("firstName").asString("there"), StandardCharsets.UTF_8));
        }
        long link = api.id(api.post(
                "/api/v1/links",
                "{\"kind\":\"LINK\",\"name\":\"Pricing page\",\"targetUrl\":\"https://www.example.com/pricing\"}"));
        for (JsonNode p : people.subList(0, Math.min(25, people.size()))) {
            String url = JSON.readTree(api.get("/api/v1/links/" + link + "/url?prospectId="
                            + p.get("id").asLong()))
                    .get("url")
                    .asString();
            api.click(URI.create(url).getRawPath());
        }
        for (int v = 0; v < 60; v++) {
            String visitor = "demo-visitor-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
            for (int view = 0; view <= random.nextInt(3); view++) {
                String page = List.of("", "pricing", "blog/lead-scoring", "features", "webinars")
                        .get(random.nextInt(5));
                api.collect("{\"visitorId\":\"" + visitor + "\",\"url\":\"https://www.example.com/" + page
                        + "\",\"title\":\"Example " + page + "\"}");
            }
        }
        log.info(
                "Demo data: lists, rules, email templates, an A/B send, four programs, a form, a link and visitors set up");
    }

    private static long dynamic(Api api, String name, String condition) throws IOException, InterruptedException {
        return api.id(api.post(
                "/api/v1/lists", "{\"name\":\"" + name + "\",\"kind\":\"DYNAMIC\",\"condition\":" + condition + "}"));
    }

    private static void rule(Api api, String name, String condition, String actions)
            throws IOException, InterruptedException {
        long id = api.id(api.post(
                "/api/v1/automation-rules",
                "{\"name\":\"" + name + "\",\"condition\":" + condition + ",\"actions\":" + actions + "}"));
        api.post("/api/v1/automation-rules/" + id + "/resume", null, 200);
    }

    private static long template(Api api, String name, String subject) throws IOException, InterruptedException {
        String slug = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-");
        String html = "<html><body><p>Hi {{first_name|there}},</p><p>" + subject + ".</p>"
                + "<p><a href=\"https://www.example.com/" + slug + "\">Read more</a></p>"
                + "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>";
        String text = "Hi {{first_name|there}},\n" + subject + ".\nhttps://www.example.com/" + slug
                + "\nUnsubscribe: {{unsubscribe_url}}\n";
        return api.id(api.post(
                "/api/v1/email/templates",
                JSON.createObjectNode()
                        .put("name", name)
                        .put("subject", subject)
                        .put("html", html)
                        .put("text", text)
                        .toString()));
    }

    /** A program from a template, every email slot filled with one template, on one list, started. */
    private static void program(Api api, String template, String name, long list, long email)
            throws IOException, InterruptedException {
        JsonNode templates =
                JSON.readTree(api.get("/api/v1/programs/templates")).get("items");
        ObjectNode body = JSON.createObjectNode().put("template", template).put("name", name);
        body.putArray("recipientListIds").add(list);
        ObjectNode emails = body.putObject("emails");
        for (JsonNode t : templates) {
            if (t.get("template").asString().equals(template)) {
                t.get("emailSlots").forEach(slot -> emails.put(slot.asString(), Long.toString(email)));
            }
        }
        long id = api.id(api.post("/api/v1/programs", body.toString()));
        api.post("/api/v1/programs/" + id + "/start", null, 200);
    }

    /** The app's API with the setup's key, and its public capture endpoints as a browser would call them. */
    private final class Api {

        private final URI base;
        private final String authorization;

        Api(URI base, String key) {
            this.base = base;
            this.authorization = "Bearer " + key;
        }

        String get(String path) throws IOException, InterruptedException {
            return call("GET", path, null, 200);
        }

        String post(String path, String body) throws IOException, InterruptedException {
            return call("POST", path, body, 201);
        }

        String post(String path, String body, int expected) throws IOException, InterruptedException {
            return call("POST", path, body, expected);
        }

        /** An API call with the setup's key; answers the body if the status is the expected one. */
        private String call(String method, String path, String body, int expected)
                throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return expect(request.build(), expected);
        }

        long id(String json) {
            return JSON.readTree(json).get("id").asLong();
        }

        void submit(String path, String form) throws IOException, InterruptedException {
            expect(
                    HttpRequest.newBuilder(base.resolve(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("User-Agent", BROWSER)
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    303);
        }

        void click(String path) throws IOException, InterruptedException {
            expect(
                    HttpRequest.newBuilder(base.resolve(path))
                            .header("User-Agent", BROWSER)
                            .GET()
                            .build(),
                    302);
        }

        void collect(String json) throws IOException, InterruptedException {
            expect(
                    HttpRequest.newBuilder(base.resolve("/t/collect"))
                            .header("Content-Type", "application/json")
                            .header("User-Agent", BROWSER)
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    204);
        }

        private String expect(HttpRequest request, int status) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != status) {
                String answer = response.body();
                throw new IllegalStateException(
                        request.method() + " " + request.uri().getPath() + " answered "
                                + response.statusCode() + ": "
                                + (answer.length() <= 500 ? answer : answer.substring(0, 500) + "…"));
            }
            return response.body();
        }
    }
}
