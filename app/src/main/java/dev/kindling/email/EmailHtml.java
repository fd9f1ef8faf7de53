package dev.kindling.email;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;

/**
 * The HTML part of one email, parsed with a real HTML parser (jsoup) rather than searched with regular expressions:
 * merge fields are filled node by node (text and attribute values as text, which the serialiser escapes; comments
 * and script/style data HTML-escaped, so a value can never close them), a URL attribute ({@link #URL_ATTRIBUTES})
 * keeps only an http(s), mailto or tel URL, and links are rewritten only where they are links — {@code href} of
 * {@code <a>} and {@code <area>}, quoted or not, never {@code data-href} nor anything inside a comment.
 */
final class EmailHtml {

    /** Attributes whose value a mail client may open, load or submit to. */
    static final Set<String> URL_ATTRIBUTES = Set.of(
            "href",
            "src",
            "srcset",
            "action",
            "formaction",
            "background",
            "cite",
            "longdesc",
            "poster",
            "lowsrc",
            "dynsrc",
            "codebase",
            "classid",
            "data",
            "archive",
            "usemap",
            "ping",
            "manifest",
            "icon",
            "profile",
            "xlink:href",
            "xml:base");

    private static final Set<String> SAFE_SCHEMES = Set.of("http", "https", "mailto", "tel");
    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.\\-]*):");
    // browsers ignore ASCII whitespace and controls around a URL and tabs and line breaks inside it ("java\tscript:")
    private static final Pattern IGNORED = Pattern.compile("[\\x00-\\x20\\x7f]");
    private static final Pattern WHOLE_DOCUMENT = Pattern.compile("<!doctype|<html[\\s>]", Pattern.CASE_INSENSITIVE);

    private final Document document;
    private final boolean whole;

    private EmailHtml(Document document, boolean whole) {
        this.document = document;
        this.whole = whole;
    }

    /** Parses a whole document (with {@code <html>} or a doctype) as such, anything else as the body's content. */
    static EmailHtml parse(String html) {
        boolean whole = WHOLE_DOCUMENT.matcher(html).find();
        Document document = whole ? Jsoup.parse(html) : Jsoup.parseBodyFragment(html);
        document.outputSettings()
                .prettyPrint(false)
                .charset(StandardCharsets.UTF_8)
                .escapeMode(Entities.EscapeMode.base);
        return new EmailHtml(document, whole);
    }

    /**
     * Fills merge fields: {@code asText} fills text and attribute values (unescaped: the serialiser escapes them),
     * {@code escaped} fills comments and script or style content. A URL attribute that held a merge field must come
     * out as an http(s), mailto or tel URL, else it is emptied; any URL attribute with another scheme is emptied.
     */
    void merge(UnaryOperator<String> asText, UnaryOperator<String> escaped) {
        NodeTraversor.traverse(
                (node, depth) -> {
                    switch (node) {
                        case TextNode t -> t.text(asText.apply(t.getWholeText()));
                        case DataNode d -> d.setWholeData(escaped.apply(d.getWholeData()));
                        case Comment c -> c.setData(escaped.apply(c.getData()));
                        case Element e -> {
                            for (Attribute a : e.attributes()) {
                                String raw = a.getValue();
                                String merged = asText.apply(raw);
                                boolean url = URL_ATTRIBUTES.contains(a.getKey().toLowerCase(Locale.ROOT));
                                if (url && !merged.equals(raw) && !hasSafeScheme(merged)) {
                                    merged = "";
                                }
                                a.setValue(merged);
                            }
                        }
                        default -> {}
                    }
                },
                document);
        dropUnsafeUrls();
    }

    /** Empties every URL attribute whose value has a scheme other than http, https, mailto or tel. */
    void dropUnsafeUrls() {
        for (Element e : document.getAllElements()) {
            for (Attribute a : e.attributes()) {
                if (URL_ATTRIBUTES.contains(a.getKey().toLowerCase(Locale.ROOT)) && hasOtherScheme(a.getValue())) {
                    a.setValue("");
                }
            }
        }
    }

    /** Replaces the {@code href} of every link whose target {@code rewrite} maps to a new URL (null: leave it). */
    void rewriteLinks(Function<String, String> rewrite) {
        for (Element link : document.select("a[href], area[href]")) {
            String replacement = rewrite.apply(link.attr("href").strip());
            if (replacement != null) {
                link.attr("href", replacement);
            }
        }
    }

    /** Adds the 1×1 open pixel at the end of the body. */
    void appendPixel(String src) {
        document.body()
                .appendElement("img")
                .attr("src", src)
                .attr("width", "1")
                .attr("height", "1")
                .attr("alt", "")
                .attr("style", "display:block;border:0;width:1px;height:1px");
    }

    String html() {
        return whole ? document.outerHtml() : document.body().html();
    }

    /** Whether {@code url} is an absolute http(s), mailto or tel URL as a browser reads it. */
    static boolean hasSafeScheme(String url) {
        var m = SCHEME.matcher(IGNORED.matcher(url).replaceAll("").toLowerCase(Locale.ROOT));
        return m.find() && SAFE_SCHEMES.contains(m.group(1));
    }

    private static boolean hasOtherScheme(String url) {
        var m = SCHEME.matcher(IGNORED.matcher(url).replaceAll("").toLowerCase(Locale.ROOT));
        return m.find() && !SAFE_SCHEMES.contains(m.group(1));
    }
}
