package dev.kindling.conditions;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.database.PlannedPerCall;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Loads {@link ProspectFacts} for a set of prospects in a fixed number of queries, whatever their number: one for
 * the rows (fields read with the very SQL expressions of {@link ConditionFields}, so memory and SQL see the same
 * values), one for custom fields, and — only when the {@link ConditionNeeds} ask — one for list memberships and
 * one for the counted activities (non-bot, of the types some condition counts, no older than its longest window).
 * one for the prospects' opportunities (through their contact roles). Programs are empty until their tables exist.
 */
@Component
public class ProspectFactsLoader {

    private static final List<ConditionFields.Standard> FIELDS =
            List.copyOf(ConditionFields.standard().values());

    private final JdbcClient jdbc;
    /** The counted activities' read, planned with its values every call (its windows decide the partitions read). */
    private final JdbcClient plannedPerCall;

    public ProspectFactsLoader(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.plannedPerCall = PlannedPerCall.client(dataSource);
    }

    /** The facts of those of {@code ids} that exist, by id, as the conditions described by {@code needs} see them at {@code now}. */
    public Map<Long, ProspectFacts> load(Collection<Long> ids, ConditionNeeds needs, Instant now) {
        return load(ids, needs, now, true);
    }

    /**
     * {@link #load(Collection, ConditionNeeds, Instant)}, the custom fields left empty unless {@code customFields}
     * (the settling rounds of the watchers, when no condition they evaluate again reads one).
     */
    Map<Long, ProspectFacts> load(Collection<Long> ids, ConditionNeeds needs, Instant now, boolean customFields) {
        return load(ids, needs, now, customFields, null);
    }

    /**
     * {@link #load(Collection, ConditionNeeds, Instant, boolean)}, the counted activities taken from {@code known}
     * instead of read when it is given (the settling rounds of the watchers, which read a prospect's activities once
     * per settle: {@link ConditionWatchers}); {@code known} answers, for each of {@code ids} that exists, activities
     * covering {@code needs} at {@code now} (more do no harm: conditions count only those of their types and
     * windows).
     */
    Map<Long, ProspectFacts> load(
            Collection<Long> ids,
            ConditionNeeds needs,
            Instant now,
            boolean customFields,
            java.util.function.Function<Long, List<Activity>> known) {
        return load(ids, needs, now, true, customFields, known);
    }

    /**
     * The facts of these prospects for {@code needs} without their standard and custom fields (the fields map
     * empty): the prospect row's own columns only, for a reader that reads no field (a program batch that neither
     * evaluates a condition nor sends, whose runner reads only that the prospect exists and its memberships): the
     * fields' expressions and the account join are left out.
     */
    public Map<Long, ProspectFacts> loadWithoutFields(Collection<Long> ids, ConditionNeeds needs, Instant now) {
        return load(ids, needs, now, false, false, null);
    }

    private Map<Long, ProspectFacts> load(
            Collection<Long> ids,
            ConditionNeeds needs,
            Instant now,
            boolean fields,
            boolean customFields,
            java.util.function.Function<Long, List<Activity>> known) {
        Map<Long, ProspectFacts> facts = new TreeMap<>();
        if (ids.isEmpty()) {
            return facts;
        }
        Long[] idArray = ids.stream().distinct().sorted().toArray(Long[]::new);
        Map<Long, Row> rows = fields ? rows(idArray, needs.accountCounts()) : ownColumns(idArray);
        if (customFields) {
            custom(idArray, rows);
        }
        Map<Long, Set<Long>> lists = needs.lists() ? lists(idArray) : Map.of();
        Map<Long, List<Activity>> activities;
        if (!needs.activities()) {
            activities = Map.of();
        } else if (known == null) {
            activities = activities(idArray, needs, now);
        } else {
            activities = new HashMap<>();
            for (Long id : rows.keySet()) {
                activities.put(id, known.apply(id));
            }
        }
        Map<Long, List<ProspectFacts.Opportunity>> opportunities =
                needs.opportunities() ? opportunities(idArray) : Map.of();
        rows.forEach((id, row) -> facts.put(
                id,
                new ProspectFacts(
                        id,
                        row.fields,
                        row.score,
                        row.grade,
                        row.stage,
                        row.ownerId,
                        lists.getOrDefault(id, Set.of()),
                        activities.getOrDefault(id, List.of()),
                        row.lastActivityAt,
                        opportunities.getOrDefault(id, List.of()),
                        Map.of())));
        return facts;
    }

    private static final class Row {
        final Map<String, Object> fields = new HashMap<>();
        int score;
        String grade;
        LifecycleStage stage;
        Long ownerId;
        Instant lastActivityAt;
    }

    /**
     * The rows with every standard field; the fields counting the account's prospects (two correlated counts per row,
     * most of the query's cost where accounts are large) only when {@code accountCounts}.
     */
    private Map<Long, Row> rows(Long[] ids, boolean accountCounts) {
        StringBuilder select =
                new StringBuilder("SELECT p.id, p.score, p.grade, p.stage, p.owner_id, p.last_activity_at");
        for (int i = 0; i < FIELDS.size(); i++) {
            String sql = !accountCounts
                            && ConditionFields.countsAccountProspects(
                                    FIELDS.get(i).name())
                    ? "NULL::bigint"
                    : FIELDS.get(i).sql();
            select.append(", ").append(sql).append(" AS f").append(i);
        }
        Map<Long, Row> rows = new LinkedHashMap<>();
        jdbc.sql(select + " FROM " + ConditionSql.FROM + " WHERE p.id = ANY(:ids)")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    Row row = ownColumns(rs);
                    // the fields by position (after the six columns above): by label, each row built a label and
                    // looked it up per field
                    for (int i = 0; i < FIELDS.size(); i++) {
                        Object value = value(rs, FIRST_FIELD + i, FIELDS.get(i));
                        if (value != null) {
                            row.fields.put(FIELDS.get(i).name(), value);
                        }
                    }
                    rows.put(rs.getLong("id"), row);
                });
        return rows;
    }

    /** The rows' own columns, no field: {@link #loadWithoutFields}. */
    private Map<Long, Row> ownColumns(Long[] ids) {
        Map<Long, Row> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT p.id, p.score, p.grade, p.stage, p.owner_id, p.last_activity_at FROM prospect p"
                        + " WHERE p.id = ANY(:ids)")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    Row row = ownColumns(rs);
                    rows.put(rs.getLong("id"), row);
                });
        return rows;
    }

    /** A row's own columns, the first six of both selects. */
    private static Row ownColumns(ResultSet rs) throws SQLException {
        Row row = new Row();
        row.score = rs.getInt("score");
        row.grade = rs.getString("grade");
        row.stage = LifecycleStage.valueOf(rs.getString("stage"));
        row.ownerId = (Long) rs.getObject("owner_id");
        row.lastActivityAt = instant(rs.getTimestamp("last_activity_at"));
        return row;
    }

    /** The position of {@code f0} in {@link #rows}' select. */
    private static final int FIRST_FIELD = 7;

    private static Object value(ResultSet rs, int column, ConditionFields.Standard field) throws SQLException {
        return switch (field.type()) {
            case TEXT -> rs.getString(column);
            case NUMBER -> rs.getObject(column) == null ? null : rs.getBigDecimal(column);
            case DATE -> instant(rs.getTimestamp(column));
            case BOOLEAN -> rs.getObject(column) == null ? null : rs.getBoolean(column);
        };
    }

    /** Custom values as their JSON type reads: strings as text, numbers as decimals, booleans; others are empty. */
    private void custom(Long[] ids, Map<Long, Row> rows) {
        jdbc.sql("""
                        SELECT p.id, e.key, jsonb_typeof(e.value) AS type, e.value #>> '{}' AS value
                          FROM prospect p CROSS JOIN LATERAL jsonb_each(p.custom) e
                         WHERE p.id = ANY(:ids) AND jsonb_typeof(p.custom) = 'object'""").param("ids", ids).query((ResultSet rs) -> {
            Row row = rows.get(rs.getLong("id"));
            String value = rs.getString("value");
            Object typed = switch (rs.getString("type")) {
                case "string" -> value;
                case "number" -> new BigDecimal(value);
                case "boolean" -> Boolean.valueOf(value);
                default -> null;
            };
            if (row != null && typed != null) {
                row.fields.put(ConditionFields.CUSTOM_PREFIX + rs.getString("key"), typed);
            }
        });
    }

    /**
     * The list memberships of these prospects alone, by prospect (one in no list may be absent or map to an empty
     * set), for a caller that reads nothing else of them: from {@code handed} for the prospects it holds (the
     * memberships a settle's facts load read in this transaction, handed to the watchers: {@link
     * ConditionWatcher#apply(Set, Map, Instant, Map, Map)}), the others' in one query (all of them when {@code handed}
     * is null).
     */
    public Map<Long, Set<Long>> memberships(Collection<Long> ids, Map<Long, Set<Long>> handed) {
        if (handed == null) {
            return ids.isEmpty()
                    ? Map.of()
                    : lists(ids.stream().distinct().sorted().toArray(Long[]::new));
        }
        Map<Long, Set<Long>> memberships = new HashMap<>(ids.size() * 2);
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            Set<Long> of = handed.get(id);
            if (of == null) {
                missing.add(id);
            } else if (!of.isEmpty()) {
                memberships.put(id, of);
            }
        }
        if (!missing.isEmpty()) {
            memberships.putAll(memberships(missing, null));
        }
        return memberships;
    }

    // By prospect only (list_member_prospect_list_idx, read by index only): with "list_id = ANY(lists)" too the planner
    // walked the primary key over every member of the watched lists and tested each against the whole id array — the
    // largest cost of intake with lists defined, when the dynamic lists read their members so (a big list has most
    // prospects as members).
    private Map<Long, Set<Long>> lists(Long[] ids) {
        Map<Long, Set<Long>> lists = new HashMap<>();
        jdbc.sql("SELECT prospect_id, list_id FROM list_member WHERE prospect_id = ANY(:ids)")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    lists.computeIfAbsent(rs.getLong("prospect_id"), k -> new HashSet<>())
                            .add(rs.getLong("list_id"));
                });
        return lists;
    }

    /**
     * The counted activities alone of those of {@code ids} that have some (a prospect with none, or that does not
     * exist, is absent), as {@link #load} reads them for {@code needs} at {@code now}; in one query, none when the
     * needs count no activity.
     */
    Map<Long, List<Activity>> activities(Collection<Long> ids, ConditionNeeds needs, Instant now) {
        if (ids.isEmpty() || !needs.activities()) {
            return Map.of();
        }
        return activities(ids.stream().distinct().sorted().toArray(Long[]::new), needs, now);
    }

    /**
     * The activities a condition can count: bots never count, other types are not asked about, and an activity
     * at or before now − the longest window of the leaves counting its type is outside every such window.
     *
     * <p>The ids come through a scalar sub-select (an init plan, evaluated once, then the same index condition
     * {@code prospect_id = ANY(...)} in every month partition): as a constant array the planner estimated each id in
     * each of the 41 partitions of W1 at S, for every index path it tried: 22–58 ms of planning for 520 ids against
     * 10–14 ms for one id and 4.5–17 ms through the sub-select (EXPLAIN on W1's database); over W1 runs 386–883 ms
     * of planning for 52 calls against 241–361 ms, the execution no slower (issue 16).
     */
    private Map<Long, List<Activity>> activities(Long[] ids, ConditionNeeds needs, Instant now) {
        Query query = activitiesQuery(needs, now);
        if (query == null) {
            return Map.of();
        }
        query.params().put("ids", ids);
        return read(query);
    }

    /** A statement and its parameters ({@code :ids} left to the caller); null when the needs count no type. */
    record Query(String sql, Map<String, Object> params) {}

    /**
     * The types the partial index {@code activity_sparse_type_idx} holds (V768, its function {@code
     * activity_sparse_type}): every type but the four dense ones that make most of a history (page views, emails sent,
     * opened and clicked). {@code ProspectFactsLoaderIT} checks the function agrees for every type.
     */
    static final Set<ActivityType> SPARSE = java.util.EnumSet.complementOf(java.util.EnumSet.of(
            ActivityType.PAGE_VIEW, ActivityType.EMAIL_SENT, ActivityType.EMAIL_OPEN, ActivityType.EMAIL_CLICK));

    /**
     * The partial index's predicate as the index has it (V768), so that the planner proves the index covers a part by
     * equality: proving it from the part's list of types, type by type in every month partition, cost 6 ms of planning
     * a call at W1 (issue 16).
     */
    private static final String SPARSE_ONLY = " AND activity_sparse_type(x.type)";

    /**
     * The read, split at the longest window D of the counted types outside {@link #SPARSE} (the dense ones), so that
     * neither part goes through every month of the history fetching every activity of the prospects to test its type:
     *
     * <ul>
     *   <li>the <em>recent</em> part, {@code occurred_at > now − D} at its top, reads only the months after it (pruned
     *       at planning) through the prospects' index, each counted type as far back as its longest window;
     *   <li>the <em>old</em> part, {@code occurred_at <= now − D}, reads those months for the sparse types whose
     *       window reaches further (or that some leaf counts over all history: "ever unsubscribed"), with the partial
     *       index's predicate ({@link #SPARSE_ONLY}), so the planner reads them through it: it fetches a prospect's
     *       activities of those types, not its every activity in every old month.
     * </ul>
     *
     * A dense type counted over all history ("opened an email, ever") leaves one part reading all history, as the read
     * did before; with no dense type counted the old part alone reads every window, through the partial index. Each
     * type is read as far back as its longest window, in one statement (the parts' {@code UNION ALL}, disjoint by
     * {@code occurred_at}).
     */
    static Query activitiesQuery(ConditionNeeds needs, Instant now) {
        // the counted types by their longest window, all history (null) first
        TreeMap<Long, List<ActivityType>> byWindow = new TreeMap<>(java.util.Comparator.nullsFirst(Long::compare));
        boolean dense = false;
        boolean denseEver = false;
        long denseWindow = 0;
        for (ActivityType type : ActivityType.values()) {
            if (needs.counts(type)) {
                Long window = needs.windowDays(type);
                byWindow.computeIfAbsent(window, k -> new ArrayList<>()).add(type);
                if (!SPARSE.contains(type)) {
                    dense = true;
                    denseEver |= window == null;
                    denseWindow = window == null ? denseWindow : Math.max(denseWindow, window);
                }
            }
        }
        if (byWindow.isEmpty()) {
            return null;
        }
        Map<String, Object> params = new HashMap<>();
        List<String> branches = new ArrayList<>();
        if (!dense || denseEver) {
            // with no dense type counted, every type read is in the partial index
            branches.add(ACTIVITIES + (dense ? "" : SPARSE_ONLY) + condition(byWindow, null, null, now, params));
        } else {
            params.put("recent", after(now, denseWindow));
            branches.add(
                    ACTIVITIES + " AND x.occurred_at > :recent" + condition(byWindow, null, denseWindow, now, params));
            String old = condition(byWindow, denseWindow, null, now, params);
            if (!old.isEmpty()) {
                branches.add(ACTIVITIES + " AND x.occurred_at <= :recent" + SPARSE_ONLY + old);
            }
        }
        return new Query(String.join("\nUNION ALL\n", branches) + "\nORDER BY prospect_id, occurred_at, id", params);
    }

    /**
     * A part's condition on the type and the time: the types of {@code byWindow} (only those whose window is longer
     * than {@code beyond} days, or all history, when it is given) named, and each windowed type's own bound, {@code
     * occurred_at > now − window}, for the windows shorter than {@code from} days, the part's own bound (all of them
     * when it has none): each type is read only as far back as its longest window. The bounds are one {@code CASE} on
     * the type, not a disjunct per window: an {@code OR} of conditions the indexes can serve had the planner try a
     * bitmap path for each disjunct in each month partition, and planning the split read took twice as long as the read
     * (W1, issue 16). Empty when no type is left.
     */
    private static String condition(
            TreeMap<Long, List<ActivityType>> byWindow,
            Long beyond,
            Long from,
            Instant now,
            Map<String, Object> params) {
        List<String> names = new ArrayList<>();
        List<String> bounds = new ArrayList<>();
        byWindow.forEach((window, types) -> {
            if (beyond != null && window != null && window <= beyond) {
                return;
            }
            for (ActivityType type : types) {
                names.add(type.name());
                if (window != null && (from == null || window < from)) {
                    params.put("after" + window, after(now, window));
                    bounds.add(" WHEN '" + type.name() + "' THEN CAST(:after" + window + " AS timestamptz)");
                }
            }
        });
        if (names.isEmpty()) {
            return "";
        }
        String condition = " AND x.type IN ('" + String.join("', '", names) + "')";
        if (!bounds.isEmpty()) {
            condition += " AND x.occurred_at > CASE x.type" + String.join("", bounds)
                    + " ELSE CAST('-infinity' AS timestamptz) END";
        }
        return condition;
    }

    /** The columns and the prospects of both parts of {@link #activitiesQuery}. */
    private static final String ACTIVITIES = """
            SELECT x.prospect_id, x.id, x.type, x.custom_name, x.occurred_at, x.campaign_id,
                   x.properties ->> 'url' AS url, x.properties ->> 'formName' AS form_name,
                   x.properties ->> 'emailId' AS email_id
              FROM activity x
             WHERE x.prospect_id = ANY(CAST((SELECT CAST(:ids AS bigint[])) AS bigint[])) AND NOT x.bot""";

    /** now − {@code days}, to the microsecond PostgreSQL keeps. */
    private static Timestamp after(Instant now, long days) {
        return Timestamp.from(
                now.truncatedTo(java.time.temporal.ChronoUnit.MICROS).minus(Duration.ofDays(days)));
    }

    private Map<Long, List<Activity>> read(Query query) {
        Map<Long, List<Activity>> activities = new HashMap<>();
        plannedPerCall.sql(query.sql()).params(query.params()).query((ResultSet rs) -> {
            Map<String, String> properties = new HashMap<>();
            put(properties, "url", rs.getString("url"));
            put(properties, "formName", rs.getString("form_name"));
            put(properties, "emailId", rs.getString("email_id"));
            activities
                    .computeIfAbsent(rs.getLong("prospect_id"), k -> new ArrayList<>())
                    .add(new Activity(
                            rs.getLong("id"),
                            ActivityType.valueOf(rs.getString("type")),
                            rs.getString("custom_name"),
                            rs.getTimestamp("occurred_at").toInstant(),
                            (Long) rs.getObject("campaign_id"),
                            properties,
                            false));
        });
        return activities;
    }

    /** Every opportunity each prospect is a contact on, whatever its status (conditions filter them). */
    private Map<Long, List<ProspectFacts.Opportunity>> opportunities(Long[] ids) {
        Map<Long, List<ProspectFacts.Opportunity>> opportunities = new HashMap<>();
        jdbc.sql("""
                        SELECT r.prospect_id, o.status, o.amount, o.type, o.closed_at, o.lost_reason
                          FROM opportunity_contact_role r JOIN opportunity o ON o.id = r.opportunity_id
                         WHERE r.prospect_id = ANY(:ids)
                         ORDER BY r.prospect_id, o.id""").param("ids", ids).query((ResultSet rs) -> {
            String type = rs.getString("type");
            String lostReason = rs.getString("lost_reason");
            opportunities
                    .computeIfAbsent(rs.getLong("prospect_id"), k -> new ArrayList<>())
                    .add(new ProspectFacts.Opportunity(
                            ProspectFacts.OpportunityStatus.valueOf(rs.getString("status")),
                            rs.getBigDecimal("amount"),
                            type == null ? null : ProspectFacts.OpportunityType.valueOf(type),
                            instant(rs.getTimestamp("closed_at")),
                            lostReason == null ? null : ProspectFacts.LostReason.valueOf(lostReason)));
        });
        return opportunities;
    }

    private static void put(Map<String, String> properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
