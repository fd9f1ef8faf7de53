package dev.kindling.email;

import dev.kindling.platform.web.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.util.MultiValueMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A dynamic content block as the template editor shows it: a name, ordered cases (a condition as JSON from the
 * condition builder, and the content shown when it matches) and the default content.
 *
 * <p>The editor posts plain indexed fields ({@code blocks[0].name}, {@code blocks[0].cases[1].condition}, …) and
 * structural changes (add / remove / move) as the {@code op} of the button pressed. The page is re-rendered with the
 * change applied and nothing saved, so unsaved edits survive, it works without any script of its own, and every
 * path in a validation error is exactly the name of the field it concerns.
 */
public record BlockForm(String name, List<CaseForm> cases, String defaultHtml, String defaultText) {

    /** One case: the condition JSON (as the builder posts it) and the content shown when it matches. */
    public record CaseForm(String condition, String html, String text) {}

    private static final Pattern BLOCK_FIELD = Pattern.compile("blocks\\[(\\d{1,3})]\\.(name|defaultHtml|defaultText)");
    private static final Pattern CASE_FIELD =
            Pattern.compile("blocks\\[(\\d{1,3})]\\.cases\\[(\\d{1,3})]\\.(condition|html|text)");
    private static final Pattern OP = Pattern.compile(
            "(addBlock|removeBlock|addCase|removeCase|caseUp|caseDown)(?::(\\d{1,3}))?(?::(\\d{1,3}))?");
    /** More than the template allows, so that the validation (not the form) says how many are too many. */
    private static final int MAX_INDEX = EmailTemplates.MAX_BLOCKS + EmailTemplates.MAX_CASES + 10;

    static BlockForm empty() {
        return new BlockForm("", new ArrayList<>(List.of(new CaseForm("", "", ""))), "", "");
    }

    /** The blocks of a stored template, for the editor. */
    static List<BlockForm> of(EmailTemplate t, JsonMapper json) {
        List<BlockForm> out = new ArrayList<>();
        for (EmailTemplate.ContentBlock b : t.blocks()) {
            List<CaseForm> cases = new ArrayList<>();
            for (EmailTemplate.Case c : b.cases()) {
                cases.add(new CaseForm(json.writeValueAsString(c.conditionJson()), c.html(), c.text()));
            }
            out.add(new BlockForm(b.name(), cases, b.defaultHtml(), b.defaultText()));
        }
        return out;
    }

    /** The blocks as posted, in index order (gaps closed, so a removed block leaves no hole). */
    static List<BlockForm> read(MultiValueMap<String, String> params) {
        Map<Integer, Map<String, String>> blocks = new TreeMap<>();
        Map<Integer, Map<Integer, Map<String, String>>> cases = new TreeMap<>();
        params.forEach((key, values) -> {
            String value = values == null || values.isEmpty() ? "" : values.getFirst();
            Matcher m = CASE_FIELD.matcher(key);
            if (m.matches()) {
                int b = Integer.parseInt(m.group(1));
                int c = Integer.parseInt(m.group(2));
                if (b < MAX_INDEX && c < MAX_INDEX) {
                    blocks.computeIfAbsent(b, k -> new LinkedHashMap<>());
                    cases.computeIfAbsent(b, k -> new TreeMap<>())
                            .computeIfAbsent(c, k -> new LinkedHashMap<>())
                            .put(m.group(3), value);
                }
                return;
            }
            m = BLOCK_FIELD.matcher(key);
            if (m.matches() && Integer.parseInt(m.group(1)) < MAX_INDEX) {
                blocks.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new LinkedHashMap<>())
                        .put(m.group(2), value);
            }
        });
        List<BlockForm> out = new ArrayList<>();
        blocks.forEach((b, fields) -> {
            List<CaseForm> list = new ArrayList<>();
            cases.getOrDefault(b, Map.of())
                    .values()
                    .forEach(c -> list.add(new CaseForm(
                            c.getOrDefault("condition", ""), c.getOrDefault("html", ""), c.getOrDefault("text", ""))));
            out.add(new BlockForm(
                    fields.getOrDefault("name", ""),
                    list,
                    fields.getOrDefault("defaultHtml", ""),
                    fields.getOrDefault("defaultText", "")));
        });
        return out;
    }

    /** The blocks with the structural change {@code op} applied; an op that names nothing changes nothing. */
    static List<BlockForm> apply(List<BlockForm> blocks, String op) {
        List<BlockForm> out = new ArrayList<>();
        blocks.forEach(
                b -> out.add(new BlockForm(b.name(), new ArrayList<>(b.cases()), b.defaultHtml(), b.defaultText())));
        Matcher m = OP.matcher(op);
        if (!m.matches()) {
            return out;
        }
        int b = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int c = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
        boolean block = b >= 0 && b < out.size();
        List<CaseForm> cases = block ? out.get(b).cases() : List.of();
        boolean aCase = block && c >= 0 && c < cases.size();
        switch (m.group(1)) {
            case "addBlock" -> {
                if (out.size() < EmailTemplates.MAX_BLOCKS) {
                    out.add(empty());
                }
            }
            case "removeBlock" -> {
                if (block) {
                    out.remove(b);
                }
            }
            case "addCase" -> {
                if (block && cases.size() < EmailTemplates.MAX_CASES) {
                    cases.add(new CaseForm("", "", ""));
                }
            }
            case "removeCase" -> {
                if (aCase) {
                    cases.remove(c);
                }
            }
            case "caseUp" -> {
                if (aCase && c > 0) {
                    cases.add(c - 1, cases.remove(c));
                }
            }
            case "caseDown" -> {
                if (aCase && c < cases.size() - 1) {
                    cases.add(c + 1, cases.remove(c));
                }
            }
            default -> {}
        }
        return out;
    }

    /**
     * The blocks as the API's JSON. A blank condition is left out (the validation then says it is required); one
     * that is not JSON is reported in {@code unreadable} and left out too.
     */
    static ArrayNode toJson(List<BlockForm> blocks, JsonMapper json, List<FieldError> unreadable) {
        ArrayNode out = json.createArrayNode();
        for (int i = 0; i < blocks.size(); i++) {
            BlockForm b = blocks.get(i);
            ObjectNode node = out.addObject();
            node.put("name", b.name().strip());
            ArrayNode cases = node.putArray("cases");
            for (int j = 0; j < b.cases().size(); j++) {
                CaseForm c = b.cases().get(j);
                ObjectNode caseNode = cases.addObject();
                if (!c.condition().isBlank()) {
                    try {
                        caseNode.set("condition", json.readTree(c.condition()));
                    } catch (JacksonException e) {
                        unreadable.add(new FieldError(
                                "blocks[" + i + "].cases[" + j + "].condition", "is not a valid condition (JSON)"));
                    }
                }
                caseNode.put("html", c.html());
                caseNode.put("text", c.text());
            }
            node.put("defaultHtml", b.defaultHtml());
            node.put("defaultText", b.defaultText());
        }
        return out;
    }

    /**
     * Each error under the most specific field of the editor its path points into (a condition's inner path such as
     * {@code blocks[0].cases[1].condition.all[0].value} belongs to that case's condition), with what is left of the
     * path in front of the message. Errors of no field of the editor are not in the map.
     */
    static Map<String, List<String>> errorsByField(List<BlockForm> blocks, List<FieldError> errors) {
        List<String> fields = new ArrayList<>(List.of("name", "subject", "html", "text", "blocks"));
        for (int i = 0; i < blocks.size(); i++) {
            String b = "blocks[" + i + "]";
            fields.addAll(List.of(b, b + ".name", b + ".defaultHtml", b + ".defaultText", b + ".cases"));
            for (int j = 0; j < blocks.get(i).cases().size(); j++) {
                String c = b + ".cases[" + j + "]";
                fields.addAll(List.of(c, c + ".condition", c + ".html", c + ".text"));
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (FieldError e : errors) {
            String best = null;
            for (String f : fields) {
                boolean within = e.field().equals(f)
                        || e.field().startsWith(f + ".")
                        || e.field().startsWith(f + "[");
                if (within && (best == null || f.length() > best.length())) {
                    best = f;
                }
            }
            if (best != null) {
                String rest = e.field().substring(best.length()).replaceFirst("^\\.", "");
                out.computeIfAbsent(best, k -> new ArrayList<>())
                        .add(rest.isEmpty() ? e.message() : rest + " " + e.message());
            }
        }
        return out;
    }
}
