package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.notifications.Notice;
import dev.kindling.notifications.Notifications;
import dev.kindling.platform.outbound.PublicUrl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The notifyUser action: one notice ({@code rule.notification}) per prospect to the named user or to the prospect's
 * owner (prospects without an owner are skipped), through {@link Notifications} — a plain-text email and the webhook
 * subscriptions for the event. Merge fields are filled in one pass from the prospect as plain text: control characters
 * (line breaks included, so a value cannot forge lines of the message) become spaces, a value is cut at 200
 * characters, and a value that looks like a merge field is not expanded again. The mail ends with a link to the
 * prospect when Kindling has a public URL ({@link PublicUrl}). Three statements whatever the number of prospects.
 */
@Component
class NotifyUserExecutor implements ActionExecutor<Action.NotifyUser> {

    static final String EVENT = "rule.notification";
    static final Map<String, String> MERGE_FIELDS;
    private static final Pattern MERGE = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u0085\\u2028\\u2029]+");
    static final int MAX_VALUE = 200;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", "p.id::text");
        m.put("email", "p.email");
        m.put("firstName", "p.first_name");
        m.put("lastName", "p.last_name");
        m.put("company", "p.company");
        m.put("jobTitle", "p.job_title");
        m.put("industry", "p.industry");
        m.put("country", "p.country");
        m.put("phone", "p.phone");
        m.put("score", "p.score::text");
        m.put("grade", "p.grade");
        m.put("stage", "p.stage");
        MERGE_FIELDS = java.util.Collections.unmodifiableMap(m);
    }

    private final JdbcClient jdbc;
    private final Notifications notifications;
    private final PublicUrl publicUrl;

    NotifyUserExecutor(JdbcClient jdbc, Notifications notifications, PublicUrl publicUrl) {
        this.jdbc = jdbc;
        this.notifications = notifications;
        this.publicUrl = publicUrl;
    }

    /** The merge field names used in {@code text}. */
    static Set<String> mergeFieldsIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = MERGE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code text} with each merge field replaced by the (cleaned) value; unknown or empty values become "". */
    static String merge(String text, Map<String, String> values) {
        Matcher m = MERGE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(clean(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String clean(String v) {
        if (v == null) {
            return "";
        }
        String s = CONTROL.matcher(v).replaceAll(" ").strip();
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "…" : s;
    }

    @Override
    public Class<Action.NotifyUser> kind() {
        return Action.NotifyUser.class;
    }

    @Override
    public void execute(Action.NotifyUser action, List<Long> ids, ActionSource source) {
        StringBuilder columns = new StringBuilder("p.owner_id");
        List<String> names = new ArrayList<>(MERGE_FIELDS.keySet());
        for (String name : names) {
            columns.append(", ").append(MERGE_FIELDS.get(name));
        }
        List<Notifications.Addressed> notices = new ArrayList<>();
        String base = publicUrl.base().orElse(null);
        jdbc.sql("SELECT " + columns + " FROM prospect p WHERE p.id = ANY(:ids) ORDER BY p.id")
                .param("ids", ids.toArray(Long[]::new))
                .query((rs, n) -> {
                    Long owner = (Long) rs.getObject(1);
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        values.put(names.get(i), rs.getString(i + 2));
                    }
                    Long to = action.owner() ? owner : action.userId();
                    if (to != null) {
                        notices.add(new Notifications.Addressed(List.of(to), notice(action, values, source, base)));
                    }
                    return null;
                })
                .list();
        notifications.notifyAll(notices);
    }

    private Notice notice(Action.NotifyUser action, Map<String, String> values, ActionSource source, String base) {
        long prospectId = Long.parseLong(values.get("id"));
        String text = merge(action.message(), values);
        if (base != null) {
            text += "\n\n" + base + "/prospects/" + prospectId;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("prospectId", prospectId);
        data.put("prospect", Map.of("id", prospectId, "email", values.get("email")));
        data.put("source", source.cause());
        if (source.ruleId() != null) {
            data.put("rule", Map.of("id", source.ruleId(), "name", source.name() == null ? "" : source.name()));
        }
        String subject = action.subject() == null ? title(source) : merge(action.subject(), values);
        data.put("subject", subject);
        data.put("message", text);
        // the caller's transaction holds the insert: a rolled-back run leaves nothing to deduplicate against
        return new Notice(
                EVENT, subject, text, data, "action:" + source.cause() + ":" + prospectId + ":" + UUID.randomUUID());
    }

    /** The subject of a notice that names none: what sent it, {@code Program "Welcome"} (from {@code program:4}). */
    static String title(ActionSource source) {
        String kind = source.cause().contains(":")
                ? source.cause().substring(0, source.cause().indexOf(':'))
                : source.cause();
        String name = source.name() == null ? "" : " \"" + source.name() + "\"";
        return kind.isEmpty() ? "Notification" : Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + name;
    }
}
