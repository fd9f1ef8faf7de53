package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailHtmlTest {

    private static String merged(String template, Map<String, String> values) {
        EmailHtml html = EmailHtml.parse(template);
        html.merge(
                t -> MergeFields.merge(t, values::get, "https://k.example/e/u/t", false),
                t -> MergeFields.merge(t, values::get, "https://k.example/e/u/t", true));
        return html.html();
    }

    @Test
    void aMergeFieldThatMakesAScriptUrlInAnHrefLeavesTheHrefEmpty() {
        for (String hostile : List.of(
                "javascript:alert(1)",
                " JaVaScRiPt:alert(1)",
                "java\tscript:alert(1)",
                "java\nscript:alert(1)",
                "\u0001javascript:alert(1)",
                "vbscript:msgbox(1)",
                "data:text/html,<script>alert(1)</script>",
                "evil.example:80/x",
                "/relative/path")) {
            String html = merged("<a href=\"{{website|https://example.com}}\">site</a>", Map.of("website", hostile));
            assertThat(html).as(hostile).isEqualTo("<a href=\"\">site</a>");
        }
    }

    @Test
    void mergedUrlsOfHttpHttpsMailtoAndTelAreKept() {
        for (String fine : List.of(
                "https://example.com/a?b=1&c=2", "http://example.com", "mailto:ann@example.com", "tel:+4930123")) {
            String html = merged("<a href=\"{{website|}}\">x</a><img src={{website|}}>", Map.of("website", fine));
            assertThat(html)
                    .as(fine)
                    .contains("href=\"" + fine.replace("&", "&amp;") + "\"")
                    .contains("src=\"" + fine.replace("&", "&amp;") + "\"");
        }
    }

    @Test
    void everyUrlAttributeKeepsOnlySafeSchemesWhetherMergedOrWritten() {
        String html = merged("""
                <img src="data:image/svg+xml,<svg onload=alert(1)>"><form action="javascript:x()"></form>
                <table><tr><td background="{{company|}}">t</td></tr></table><a href="#top">top</a><a href="/page">page</a>""", Map.of("company", "javascript:alert(1)"));
        assertThat(html)
                .contains("<img src=\"\">")
                .contains("action=\"\"")
                .contains("background=\"\"")
                .contains("href=\"#top\"")
                .contains("href=\"/page\"")
                .doesNotContain("javascript", "data:");
    }

    @Test
    void aValueIsTextEverywhereAndCannotCloseACommentOrAStyleBlock() {
        String html = merged(
                "<style>p{color:{{company|red}}}</style><!-- {{company|x}} --><p title={{company|x}}>"
                        + "{{company|x}}</p>",
                Map.of("company", "</style><script>alert(1)</script>--><b>"));
        assertThat(html)
                .doesNotContain("<script>", "<b>")
                .contains("&lt;/style&gt;")
                .contains("<p title=\"&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;--&gt;&lt;b&gt;\"")
                .contains("&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;--&gt;&lt;b&gt;</p>");
    }

    @Test
    void linksAreRewrittenWhereTheyAreLinksQuotedOrNotButNotInDataAttributesOrComments() {
        EmailHtml html = EmailHtml.parse("""
                <a href=https://example.com/unquoted>a</a>
                <a data-href="https://example.com/data">b</a>
                <!-- <a href="https://example.com/commented">c</a> -->
                <A HREF='https://example.com/single'>d</A>
                <area href="https://example.com/area">""");
        List<String> seen = new ArrayList<>();
        html.rewriteLinks(target -> {
            seen.add(target);
            return "https://k.example/e/c/" + seen.size();
        });
        assertThat(seen)
                .containsExactly(
                        "https://example.com/unquoted", "https://example.com/single", "https://example.com/area");
        assertThat(html.html())
                .contains("<a href=\"https://k.example/e/c/1\">a</a>")
                .contains("data-href=\"https://example.com/data\"")
                .contains("<!-- <a href=\"https://example.com/commented\">c</a> -->")
                .contains("href=\"https://k.example/e/c/2\"")
                .contains("<area href=\"https://k.example/e/c/3\">");
    }

    @Test
    void aWholeDocumentKeepsItsDoctypeAndThePixelEndsTheBody() {
        EmailHtml html =
                EmailHtml.parse("<!DOCTYPE html><html><head><title>T</title></head><body><p>Hi</p></body></html>");
        html.appendPixel("https://k.example/e/o/tok");
        assertThat(html.html())
                .startsWith("<!doctype html><html><head><title>T</title></head><body><p>Hi</p>")
                .endsWith("<img src=\"https://k.example/e/o/tok\" width=\"1\" height=\"1\" alt=\"\" "
                        + "style=\"display:block;border:0;width:1px;height:1px\"></body></html>");
        EmailHtml fragment = EmailHtml.parse("<p>Hi</p>");
        fragment.appendPixel("https://k.example/e/o/tok");
        assertThat(fragment.html()).startsWith("<p>Hi</p><img src=\"https://k.example/e/o/tok\"");
    }
}
