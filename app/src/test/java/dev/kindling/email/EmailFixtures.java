package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.TestApi;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Prospects, lists and templates made through the API, unique per test. */
final class EmailFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String HTML = """
            <html><body><p>Hi {{first_name|there}} from {{company|your team}},</p>
            {{block:story}}
            <p><a href="https://example.com/pricing?a=1&amp;b=2">See pricing</a></p>
            <p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>""";
    static final String TEXT = "Hi {{first_name|there}},\n{{block:story}}\nPricing: https://example.com/pricing\n"
            + "Unsubscribe: {{unsubscribe_url}}\n";

    private final TestApi api;
    final String run = UUID.randomUUID().toString().substring(0, 8);

    EmailFixtures(TestApi api) {
        this.api = api;
    }

    long prospect(String name, String industry) {
        ObjectNode body = JSON.createObjectNode();
        body.put(
                "email",
                name.replaceAll("[^a-z]", "") + "-"
                        + UUID.randomUUID().toString().substring(0, 8) + "@mail-" + run + ".example");
        body.put("firstName", name);
        if (industry != null) {
            body.put("industry", industry);
        }
        return api.newProspect(body.toString());
    }

    String email(long prospectId) {
        return api.get("/api/v1/prospects/" + prospectId).json().get("email").asString();
    }

    long list(long... members) {
        long id = TestApi.created(
                api.post("/api/v1/lists", "{\"name\":\"Email list " + UUID.randomUUID() + "\",\"kind\":\"STATIC\"}"));
        if (members.length > 0) {
            StringBuilder ids = new StringBuilder();
            for (long m : members) {
                ids.append(ids.isEmpty() ? "" : ",").append(m);
            }
            assertThat(api.post("/api/v1/lists/" + id + "/members", "{\"prospectIds\":[" + ids + "]}")
                            .status())
                    .isEqualTo(200);
        }
        return id;
    }

    ObjectNode templateBody(String html, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", "Template " + UUID.randomUUID());
        body.put("subject", "News for {{first_name|you}}");
        body.put("html", html);
        body.put("text", text);
        ObjectNode block = body.putArray("blocks").addObject();
        block.put("name", "story");
        ObjectNode c = block.putArray("cases").addObject();
        c.set("condition", JSON.readTree("{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"Healthcare\"}"));
        c.put("html", "<p>How a hospital group cut costs</p>");
        c.put("text", "How a hospital group cut costs");
        block.put("defaultHtml", "<p>How teams like yours grow</p>");
        block.put("defaultText", "How teams like yours grow");
        return body;
    }

    long template() {
        return TestApi.created(
                api.post("/api/v1/email/templates", templateBody(HTML, TEXT).toString()));
    }

    JsonNode send(long templateId, long listId) {
        TestApi.Response r = api.post(
                "/api/v1/email/sends",
                "{\"name\":\"Send " + run + "\",\"templateId\":" + templateId + ",\"listId\":" + listId + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** The path of the first URL in {@code content} under {@code /e/<kind>/}. */
    static String path(String content, String kind) {
        Matcher m = Pattern.compile("https?://[^/\"\\s>]+(/e/" + kind + "/[A-Za-z0-9_.-]+)")
                .matcher(content);
        assertThat(m.find()).as("a /e/" + kind + "/ URL in " + content).isTrue();
        return m.group(1);
    }
}
