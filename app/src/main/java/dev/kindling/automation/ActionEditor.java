package dev.kindling.automation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The action editor of the pages: actions as rows of kind + parameters, posted as the parameters {@code actionType},
 * {@code actionField}, {@code actionValue} and {@code actionMessage} (fragment {@code automation/actions :: editor}).
 * Automation rules, forms and tracked links edit their actions with it; the JSON it gives is validated by the action
 * model like any other ({@code ActionJson}).
 */
public final class ActionEditor {

    static final int BLANK_ROWS = 2;
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,12}");

    /**
     * One action row of the form: its kind, a field (setField; notifyUser: "owner" or a user id), one value
     * (notifyUser: the subject) and a message (notifyUser only).
     */
    public record Row(String type, String field, String value, String message) {

        public Row(String type, String field, String value) {
            this(type, field, value, "");
        }
    }

    /** The kinds of action offered, by form value, with their labels. */
    public static final Map<String, String> KINDS = kinds();

    private ActionEditor() {}

    /** The rows showing stored actions (the action model's JSON). */
    @SuppressWarnings("unchecked")
    public static List<Row> rows(List<?> stored) {
        List<Map<String, Object>> actions = (List<Map<String, Object>>) stored;
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> a : actions) {
            String type = (String) a.get("type");
            Object value = switch (type) {
                case "adjustScore" -> a.get("points");
                case "setScore" -> a.get("score");
                case "addToList", "removeFromList" -> a.get("listId");
                case "addToProgram", "removeFromProgram" -> a.get("programId");
                case "createTask" -> a.get("subject");
                case "changeStage" -> a.get("stage");
                case "callWebhook" -> a.get("url");
                case "notifyUser" -> a.get("subject");
                case "assign" -> a.get("teamId") != null ? a.get("teamId") : a.get("userId");
                default -> a.get("value");
            };
            String field = type.equals("notifyUser")
                    ? String.valueOf(a.get("userId"))
                    : type.equals("createTask")
                            ? a.get("dueInHours") + "h " + a.get("userId")
                            : (String) a.get("field");
            if (type.equals("assign")) {
                // the form's two assign kinds: round-robin in a team or one user; the field column says "forced"
                field = Boolean.TRUE.equals(a.get("forced")) ? "forced" : "";
                type = a.get("teamId") != null
                        ? "assign:team"
                        : a.get("userId") != null ? "assign:user" : "assign:territories";
            }
            rows.add(new Row(
                    type,
                    field,
                    value == null ? "" : String.valueOf(value),
                    a.get("message") == null ? "" : String.valueOf(a.get("message"))));
        }
        return rows;
    }

    /** The rows a form posted; rows left at "(no action)" are dropped. */
    public static List<Row> posted(MultiValueMap<String, String> params) {
        List<Row> rows = new ArrayList<>();
        List<String> types = params.getOrDefault("actionType", List.of());
        List<String> fields = params.getOrDefault("actionField", List.of());
        List<String> values = params.getOrDefault("actionValue", List.of());
        List<String> messages = params.getOrDefault("actionMessage", List.of());
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).isBlank()) {
                rows.add(new Row(
                        types.get(i),
                        i < fields.size() ? fields.get(i) : "",
                        i < values.size() ? values.get(i) : "",
                        i < messages.size() ? messages.get(i) : ""));
            }
        }
        return rows;
    }

    /** The rows with empty rows added for new actions. */
    public static List<Row> withBlanks(List<Row> rows) {
        List<Row> all = new ArrayList<>(rows);
        for (int i = 0; i < BLANK_ROWS; i++) {
            all.add(new Row("", "", "", ""));
        }
        return all;
    }

    /** The rows as the action model's JSON (not yet validated: a value of the wrong type stays for the validator). */
    public static ArrayNode json(JsonMapper json, List<Row> rows) {
        ArrayNode actions = json.createArrayNode();
        for (Row row : rows) {
            ObjectNode a = actions.addObject();
            a.put("type", row.type().startsWith("assign:") ? "assign" : row.type());
            String v = row.value() == null ? "" : row.value().strip();
            switch (row.type()) {
                case "adjustScore" -> putNumber(a, "points", v);
                case "setScore" -> putNumber(a, "score", v);
                case "addToList", "removeFromList" -> putNumber(a, "listId", v);
                case "addToProgram", "removeFromProgram" -> putNumber(a, "programId", v);
                case "createTask" -> {
                    // field: "24h owner", "48h 7" (hours, then "owner" or a user id); both may be left out
                    String[] parts = row.field() == null
                            ? new String[0]
                            : row.field().strip().split("\\s+");
                    for (String part : parts) {
                        if (part.endsWith("h")
                                && WHOLE.matcher(part.substring(0, part.length() - 1))
                                        .matches()) {
                            putNumber(a, "dueInHours", part.substring(0, part.length() - 1));
                        } else if (!part.isEmpty()) {
                            putNumber(a, "userId", part);
                        }
                    }
                    a.put("subject", v);
                }
                case "changeStage" -> a.put("stage", v);
                case "callWebhook" -> a.put("url", v);
                case "notifyUser" -> {
                    String user = row.field() == null ? "" : row.field().strip();
                    putNumber(a, "userId", user.isEmpty() ? "owner" : user);
                    if (!v.isEmpty()) {
                        // without a subject the notice is titled after the rule, form or link
                        a.put("subject", v);
                    }
                    a.put("message", row.message() == null ? "" : row.message());
                }
                case "setDoNotEmail" -> a.put("value", !v.equalsIgnoreCase("false"));
                case "assign:team", "assign:user", "assign:territories" -> {
                    if (row.type().equals("assign:territories")) {
                        a.put("territoryRules", true);
                    } else {
                        putNumber(a, row.type().equals("assign:team") ? "teamId" : "userId", v);
                    }
                    a.put("forced", row.field() != null && row.field().strip().equalsIgnoreCase("forced"));
                }
                case "setField" -> {
                    a.put("field", row.field() == null ? "" : row.field().strip());
                    if (v.isEmpty()) {
                        a.putNull("value");
                    } else if (WHOLE.matcher(v).matches()) {
                        a.put("value", Long.parseLong(v));
                    } else if (v.equals("true") || v.equals("false")) {
                        a.put("value", Boolean.parseBoolean(v));
                    } else {
                        a.put("value", v);
                    }
                }
                default -> {}
            }
        }
        return actions;
    }

    private static Map<String, String> kinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("", "(no action)");
        kinds.put("adjustScore", "Adjust score by (points)");
        kinds.put("setScore", "Set score to");
        kinds.put("setField", "Set field (field, value; empty clears)");
        kinds.put("addToList", "Add to static list (list id)");
        kinds.put("removeFromList", "Remove from static list (list id)");
        kinds.put("addToProgram", "Add to nurture program (program id)");
        kinds.put("removeFromProgram", "Remove from nurture program (program id)");
        kinds.put(
                "createTask",
                "Create sales task (value: subject; field: due in hours and owner or user id, e.g. \"24h owner\")");
        kinds.put("changeStage", "Change stage to (e.g. MQL)");
        kinds.put("setDoNotEmail", "Set do-not-email (true / false)");
        kinds.put("callWebhook", "Call webhook (URL)");
        kinds.put("notifyUser", "Notify user (field: owner or user id; value: subject, or empty; message)");
        kinds.put("assign:team", "Assign round-robin in team (team id; field \"forced\" replaces an owner)");
        kinds.put("assign:user", "Assign to user (user id; field \"forced\" replaces an owner)");
        kinds.put("assign:territories", "Assign by the territory rules (field \"forced\" replaces an owner)");
        kinds.put("syncToCrm", "Sync to Salesforce (created there when nothing matches)");
        return Collections.unmodifiableMap(kinds);
    }

    static void putNumber(ObjectNode node, String key, String text) {
        if (WHOLE.matcher(text).matches()) {
            node.put(key, Long.parseLong(text));
        } else {
            node.put(key, text);
        }
    }
}
