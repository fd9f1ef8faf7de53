package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.platform.web.FieldError;
import dev.kindling.support.PropertyRuns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MergeFieldsTest {

    @Test
    void aValueIsEscapedInHtmlAndRawInTextAndAnEmptyValueTakesTheFallback() {
        Map<String, String> values = new HashMap<>();
        values.put("first_name", "<b>\"Tom\" & 'Jerry'</b>");
        values.put("company", "  ");
        String template = "Hi {{first_name|there}} at {{ company | your company }}";
        assertThat(MergeFields.merge(template, values::get, "u", true))
                .isEqualTo("Hi &lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt; at your company");
        assertThat(MergeFields.merge(template, values::get, "u", false))
                .isEqualTo("Hi <b>\"Tom\" & 'Jerry'</b> at your company");
    }

    @Test
    void aValueThatLooksLikeAMergeFieldIsInsertedAsTextNeverExpanded() {
        Map<String, String> values = Map.of("first_name", "{{unsubscribe_url}}", "last_name", "{{block:x}}");
        assertThat(MergeFields.merge("{{first_name|a}} {{last_name|b}}", values::get, "SECRET", false))
                .isEqualTo("{{unsubscribe_url}} {{block:x}}");
    }

    @Test
    void everyFieldThatMayBeEmptyNeedsAFallbackButEmailAndTheUnsubscribeLinkDoNot() {
        List<FieldError> errors = new ArrayList<>();
        MergeFields.check(
                "{{email}} {{unsubscribe_url}} {{first_name|}} {{custom.plan|free}}",
                "html",
                Set.of(),
                Set.of("plan"),
                errors);
        assertThat(errors).isEmpty();
        MergeFields.check("{{last_name}} {{custom.plan}}", "html", Set.of(), Set.of("plan"), errors);
        assertThat(errors)
                .extracting(FieldError::message)
                .allMatch(m -> m.contains("give a fallback"))
                .hasSize(2);
    }

    @Test
    void escapedHtmlNeverContainsMarkupFromAnyValue() {
        Random random = new Random(20260601L);
        String alphabet = "<>&\"'/=ab {}|\\;:`";
        for (int run = 0, cases = PropertyRuns.cases(500, 10_000); run < cases; run++) {
            long seed = random.nextLong();
            Random r = new Random(seed);
            StringBuilder value = new StringBuilder();
            for (int i = 0, n = r.nextInt(30); i < n; i++) {
                value.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String html = MergeFields.merge(
                    "<p title=\"{{first_name|x}}\">{{first_name|x}}</p>",
                    Map.of("first_name", value.toString())::get,
                    "u",
                    true);
            String inner = html.substring("<p title=\"".length(), html.length() - "</p>".length());
            assertThat(inner.replace("\">", "")).as("case seed %d", seed).doesNotContain("<", ">", "\"", "'");
        }
    }
}
