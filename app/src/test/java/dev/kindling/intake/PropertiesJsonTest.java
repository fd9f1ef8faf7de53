package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.Alterations;
import dev.kindling.support.PropertyRuns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@link PropertiesJson} against Jackson, which it replaces on the accept and the intake's read. */
class PropertiesJsonTest {

    // random cases per property: 20,000 in verify, 200,000 with -Pdeep (docs/testing.md)
    private static final int CASES = PropertyRuns.cases(20_000, 200_000);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};
    private static final String ALPHABET =
            "abcXYZ09 \"\\/\b\t\n\f\r\u0000\u0001\u001f\u007f\u0080é€\u2028\uFFFD" + "\uD83D\uDE00\uD800\uDC00";

    @Test
    void writesWhatJacksonAndItsOwnReaderReadBackAsTheMap() {
        Random random = new Random(16);
        for (int n = 0; n < CASES; n++) {
            Map<String, String> properties = randomProperties(random);
            String text = PropertiesJson.write(properties);
            assertThat(jackson(text)).as(text).isEqualTo(properties);
            assertThat(PropertiesJson.read(text, JSON)).as(text).isEqualTo(properties);
        }
        assertThat(PropertiesJson.write(Map.of())).isEqualTo("{}");
    }

    @Test
    void writesTheTextOfTheCharacterByCharacterWriter() {
        Random random = new Random(19);
        for (int n = 0; n < CASES; n++) {
            Map<String, String> properties = randomProperties(random);
            StringBuilder expected = new StringBuilder("{");
            properties.forEach((k, v) -> {
                if (expected.length() > 1) {
                    expected.append(',');
                }
                quoted(expected, k, false).append(':');
                quoted(expected, v, false);
            });
            assertThat(PropertiesJson.write(properties))
                    .isEqualTo(expected.append('}').toString());
        }
    }

    @Test
    void readsWhatJacksonReadsFromPostgresTextAndJacksonText() {
        Random random = new Random(17);
        for (int n = 0; n < CASES; n++) {
            Map<String, String> properties = randomProperties(random);
            for (String text : List.of(postgresText(properties), JSON.writeValueAsString(properties))) {
                assertThat(PropertiesJson.read(text, JSON))
                        .isEqualTo(properties)
                        .isEqualTo(jackson(text));
            }
        }
    }

    @Test
    void anythingElseIsJacksonsAnswerOrError() {
        List<String> texts = List.of(
                "{}",
                " { } ",
                "{\"a\": 1}",
                "{\"a\": true}",
                "{\"a\": null}",
                "{\"a\": {\"b\": \"c\"}}",
                "{\"a\": [\"b\"]}",
                "{\"a\": \"b\", \"a\": \"c\"}",
                "{\"a\": \"b\",}",
                "{\"a\": \"b\"} x",
                "{\"a\": \"b\"}}",
                "{\"a\" \"b\"}",
                "{\"a\": \"b\\x\"}",
                "{\"a\": \"b\\u00G1\"}",
                "{\"a\": \"b\\u\uFF10\uFF10\uFF14\uFF11\"}",
                "{\"a\": \"b\\u12\"}",
                "{\"a\": \"b\u0001\"}",
                "{\"a\": \"b",
                "{\"a\": \"b\\",
                "{\"a\":",
                "{\"a\"",
                "{",
                "[]",
                "\"a\"",
                "",
                "   ",
                "{\"a\":\"\\/\\u00e9\\uD83D\\uDE00\"}");
        for (String text : texts) {
            assertSameAsJackson(text);
        }
        Random random = new Random(18);
        String alterations = "{}[]:,\" \\u0aZ1\u0001";
        for (int n = 0; n < CASES; n++) {
            assertSameAsJackson(Alterations.of(postgresText(randomProperties(random)), alterations, random));
        }
    }

    private static void assertSameAsJackson(String text) {
        Object expected;
        try {
            expected = jackson(text);
        } catch (RuntimeException e) {
            expected = e.getClass();
        }
        Object actual;
        try {
            actual = PropertiesJson.read(text, JSON);
        } catch (RuntimeException e) {
            actual = e.getClass();
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }

    private static Map<String, String> jackson(String text) {
        return JSON.readValue(text, PROPERTIES);
    }

    private static Map<String, String> randomProperties(Random random) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int k = random.nextInt(6); k > 0; k--) {
            properties.put(randomString(random), randomString(random));
        }
        return properties;
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int k = random.nextInt(12); k > 0; k--) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** As PostgreSQL's {@code jsonb::text} writes an object of strings (its escape_json; its key order aside). */
    private static String postgresText(Map<String, String> properties) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            out.append(first ? "" : ", ");
            first = false;
            quoted(out, e.getKey(), true);
            out.append(": ");
            quoted(out, e.getValue(), true);
        }
        return out.append('}').toString();
    }

    /**
     * {@code s} as a JSON string with the escapes PostgreSQL's {@code jsonb} text uses ({@code postgres}: short forms
     * for backspace and form feed too), or those of the dataset's JSON string writer before it appended runs of
     * characters (issue 16: those two as six-character unicode escapes).
     */
    private static StringBuilder quoted(StringBuilder out, String s, boolean postgres) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append(postgres ? "\\b" : "\\u0008");
                case '\f' -> out.append(postgres ? "\\f" : "\\u000c");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
