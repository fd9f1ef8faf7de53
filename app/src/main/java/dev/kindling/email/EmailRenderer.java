package dev.kindling.email;

import dev.kindling.email.EmailTemplate.Case;
import dev.kindling.email.EmailTemplate.ContentBlock;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a template into one prospect's email: blocks chosen by their conditions, merge fields filled (in the HTML part
 * node by node with {@link EmailHtml}, so a value is text and a URL attribute only ever holds an http(s), mailto or tel
 * URL), and — when a message id is given — every http(s) link rewritten to a signed click URL, the unsubscribe
 * link and the open pixel added. Without a message id (a preview) links stay as written and nothing is tracked.
 */
final class EmailRenderer {

    private static final Pattern TEXT_LINK = Pattern.compile("https?://[^\\s<>\"')\\]]+", Pattern.CASE_INSENSITIVE);

    private EmailRenderer() {}

    /** The rendered parts; {@code links} are the click targets by index (empty for a preview). */
    record Rendered(String subject, String html, String text, List<String> links, String unsubscribeUrl) {}

    /**
     * @param values    merge values by merge-field name (custom fields as {@code custom.<name>})
     * @param facts     the prospect's facts for block conditions, or null when the template has no blocks
     * @param messageId the message being sent, or null for a preview
     */
    static Rendered render(
            EmailTemplate template,
            String subject,
            Map<String, String> values,
            ProspectFacts facts,
            ConditionEvaluator evaluator,
            Instant now,
            Long messageId,
            String base,
            EmailTokens tokens) {
        Function<String, String> value = values::get;
        String unsubscribeUrl =
                messageId == null ? base + "/e/u/preview" : base + "/e/u/" + tokens.unsubscribe(messageId);
        String mergedSubject = MergeFields.merge(subject, value, unsubscribeUrl, false)
                .replaceAll("[\\r\\n\\u0085\\u2028\\u2029]+", " ")
                .strip();
        String text = MergeFields.merge(
                MergeFields.expandBlocks(template.text(), name -> chosen(template, name, facts, evaluator, now, false)),
                value,
                unsubscribeUrl,
                false);
        EmailHtml document = EmailHtml.parse(
                MergeFields.expandBlocks(template.html(), name -> chosen(template, name, facts, evaluator, now, true)));
        document.merge(
                t -> MergeFields.merge(t, value, unsubscribeUrl, false),
                t -> MergeFields.merge(t, value, unsubscribeUrl, true));
        if (messageId == null) {
            return new Rendered(mergedSubject, document.html(), text, List.of(), unsubscribeUrl);
        }
        List<String> links = new ArrayList<>();
        String own = base + "/e/";
        document.rewriteLinks(target ->
                isTrackable(target, own) ? base + "/e/c/" + tokens.click(messageId, index(links, target)) : null);
        text = replaceAll(
                TEXT_LINK,
                text,
                m -> isTrackable(m.group(), own)
                        ? base + "/e/c/" + tokens.click(messageId, index(links, m.group()))
                        : m.group());
        document.appendPixel(base + "/e/o/" + tokens.open(messageId));
        return new Rendered(mergedSubject, document.html(), text, List.copyOf(links), unsubscribeUrl);
    }

    private static boolean isTrackable(String target, String own) {
        String lower = target.toLowerCase(java.util.Locale.ROOT);
        return (lower.startsWith("http://") || lower.startsWith("https://"))
                && !target.startsWith(own)
                && target.length() <= 2000;
    }

    private static int index(List<String> links, String target) {
        int i = links.indexOf(target);
        if (i >= 0) {
            return i;
        }
        links.add(target);
        return links.size() - 1;
    }

    private static String chosen(
            EmailTemplate template,
            String name,
            ProspectFacts facts,
            ConditionEvaluator evaluator,
            Instant now,
            boolean html) {
        for (ContentBlock block : template.blocks()) {
            if (block.name().equals(name)) {
                for (Case c : block.cases()) {
                    if (c.condition() != null && facts != null && evaluator.matches(c.condition(), facts, now)) {
                        return html ? c.html() : c.text();
                    }
                }
                return html ? block.defaultHtml() : block.defaultText();
            }
        }
        return "";
    }

    private static String replaceAll(Pattern pattern, String input, Function<Matcher, String> replacement) {
        Matcher m = pattern.matcher(input);
        StringBuilder out = new StringBuilder(input.length() + 256);
        int last = 0;
        while (m.find()) {
            out.append(input, last, m.start()).append(replacement.apply(m));
            last = m.end();
        }
        return out.append(input, last, input.length()).toString();
    }
}
