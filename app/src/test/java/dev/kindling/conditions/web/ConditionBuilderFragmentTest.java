package dev.kindling.conditions.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.linkbuilder.StandardLinkBuilder;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresolver.StringTemplateResolver;

/** The {@code conditions/builder} fragment as the forms that include it get it, rendered without a web server. */
class ConditionBuilderFragmentTest {

    private static final String INCLUDE =
            "<form><div th:replace=\"~{conditions/builder :: builder('rule.condition', ${value})}\"></div></form>";

    private final SpringTemplateEngine engine = engine();

    @Test
    void theFormWorksWithoutJavaScriptThroughTheFallbackTextarea() {
        String html = render("{\"all\":[{\"score\":{\"gte\":50}}]}");

        assertThat(html)
                .containsPattern(
                        "(?s)<noscript>.*<textarea[^>]*name=\"rule.condition\"[^>]*>"
                                + "\\{&quot;all&quot;:\\[\\{&quot;score&quot;:\\{&quot;gte&quot;:50\\}\\}\\]\\}</textarea>.*</noscript>");
    }

    @Test
    void theHiddenInputIsDisabledUntilTheScriptTakesOverSoOnlyOneValueIsPosted() {
        String html = render("{\"all\":[]}");

        assertThat(html)
                .containsPattern("<input type=\"hidden\" class=\"condition-builder-input\" disabled "
                        + "name=\"rule.condition\" value=\"\\{&quot;all&quot;:\\[\\]\\}\">");
        assertThat(html)
                .contains("<script src=\"/js/condition-builder.js\" defer></script>")
                .contains("data-fields-url=\"/conditions/fields\"", "data-preview-url=\"/conditions/preview\"")
                .doesNotContain("data-csrf-token");
    }

    @Test
    void anAttackerControlledValueIsEscapedInBothCarriers() {
        String html = render("</textarea><script>alert(1)</script>\"><img src=x onerror=alert(2)>");

        assertThat(html)
                .doesNotContain("<script>alert", "<img")
                .contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("value=\"&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img");
    }

    @Test
    void anEmptyValueRendersEmptyCarriers() {
        String html = render(null);

        assertThat(html).contains("value=\"\"").containsPattern("name=\"rule.condition\"></textarea>");
    }

    private String render(String value) {
        Context context = new Context();
        context.setVariable("value", value);
        return engine.process(INCLUDE, context);
    }

    private static SpringTemplateEngine engine() {
        ClassLoaderTemplateResolver files = new ClassLoaderTemplateResolver();
        files.setPrefix("templates/");
        files.setSuffix(".html");
        files.setCheckExistence(true);
        files.setOrder(1);
        StringTemplateResolver strings = new StringTemplateResolver();
        strings.setOrder(2);
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.addTemplateResolver(files);
        engine.addTemplateResolver(strings);
        // links as in an application deployed at the root, without a servlet request
        engine.setLinkBuilder(new StandardLinkBuilder() {
            @Override
            protected String computeContextPath(
                    IExpressionContext context, String base, Map<String, Object> parameters) {
                return "";
            }
        });
        return engine;
    }
}
