package dev.kindling.lists;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.engine.condition.Condition;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.ProspectRows;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Static and dynamic lists: definitions, members, history. Definition writes are serialised (one advisory lock)
 * so two edits can never make a cycle of lists between them; a dynamic list's members are rebuilt set-based in the
 * transaction that saves its condition.
 */
@Component
public class Lists implements ListReferences {

    private final AuditLog audit;

    public static final String STATIC = "STATIC";
    public static final String DYNAMIC = "DYNAMIC";
    static final int MAX_NAME = 200;
    static final int MAX_MEMBERS_PER_CALL = 10_000;
    static final int SCHEDULE_PAGE = 2_000;
    private static final long DEFINITIONS_LOCK = 0x6c69737473L;

    /** A validated list definition; {@code condition} and {@code conditionJson} are null for a static list. */
    public record Definition(String name, String kind, Condition condition) {}

    /** A page of members or history, newest first; {@code nextCursor} is null on the last page. */
    public record Page<T>(List<T> items, String nextCursor) {}

    /** A member of a list. */
    public record Member(long prospectId, String email, String firstName, String lastName, Instant since) {}

    /** A list a prospect is a member of. */
    public record Membership(long listId, String name, String kind, Instant since) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final DynamicLists dynamic;
    private final Memberships memberships;
    private final ProspectRows prospectRows;
    private final ObjectProvider<ListReferences> references;

    Lists(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            PlatformTransactionManager transactions,
            DynamicLists dynamic,
            Memberships memberships,
            ProspectRows prospectRows,
            ObjectProvider<ListReferences> references,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.dynamic = dynamic;
        this.memberships = memberships;
        this.prospectRows = prospectRows;
        this.references = references;
    }

    private static final String COLUMNS = """
            l.id, l.name, l.kind, CAST(l.condition AS text) AS condition, l.created_at, l.updated_at,
            (SELECT count(*) FROM list_member m WHERE m.list_id = l.id) AS members""";

    private ListView view(ResultSet rs, int row) throws SQLException {
        String condition = rs.getString("condition");
        return new ListView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("kind"),
                condition == null ? null : json.readTree(condition),
                rs.getLong("members"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                null);
    }

    /** Every list, by name. */
    public List<ListView> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM list l ORDER BY lower(l.name), l.id")
                .query(this::view)
                .list();
    }

    public Optional<ListView> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM list l WHERE l.id = :id")
                .param("id", id)
                .query(this::view)
                .optional();
    }

    public ListView get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No list " + id));
    }

    /** Creates a list; a dynamic one is filled right away (set-based). */
    public ListView create(Definition definition) {
        Saved saved = tx.execute(status -> {
            lockDefinitions();
            checkName(definition.name(), null);
            checkReferences(null, definition.condition());
            Instant now = clock.instant();
            long id = jdbc.sql("""
                            INSERT INTO list (name, kind, condition, created_at, updated_at)
                            VALUES (:name, :kind, CAST(:condition AS jsonb), :now, :now) RETURNING id""")
                    .param("name", definition.name())
                    .param("kind", definition.kind())
                    .param("condition", conditionText(definition.condition()))
                    .param("now", Timestamp.from(now))
                    .query(Long.class)
                    .single();
            DynamicLists.Rebuild rebuild =
                    definition.condition() == null ? null : dynamic.rebuild(id, definition.condition());
            audit.record(AuditEntry.created("list", id, get(id)));
            return new Saved(id, rebuild);
        });
        return afterSave(saved, definition.condition());
    }

    /**
     * Replaces a list's name, kind and condition. A changed condition (or a static list becoming dynamic) rebuilds
     * the members set-based; a dynamic list becoming static keeps its members.
     */
    public ListView replace(long id, Definition definition) {
        Saved saved = tx.execute(status -> {
            lockDefinitions();
            ListView before = get(id);
            checkName(definition.name(), id);
            checkReferences(id, definition.condition());
            String condition = conditionText(definition.condition());
            jdbc.sql("""
                            UPDATE list SET name = :name, kind = :kind, condition = CAST(:condition AS jsonb),
                                   updated_at = :now
                             WHERE id = :id""")
                    .param("name", definition.name())
                    .param("kind", definition.kind())
                    .param("condition", condition)
                    .param("now", Timestamp.from(clock.instant()))
                    .param("id", id)
                    .update();
            boolean changed = definition.condition() != null
                    && (before.condition() == null || !before.condition().equals(json.readTree(condition)));
            DynamicLists.Rebuild rebuild = changed ? dynamic.rebuild(id, definition.condition()) : null;
            audit.record(AuditEntry.updated("list", id, before, get(id)));
            return new Saved(id, rebuild);
        });
        return afterSave(saved, saved.rebuild == null ? null : definition.condition());
    }

    /** A saved list and its rebuild, if any. */
    private record Saved(long id, DynamicLists.Rebuild rebuild) {}

    /**
     * After a rebuild of a time-relative condition, schedules the next condition check its clock needs: for each
     * prospect whose answer to the rebuilt condition the clock can still change (a dated fact inside one of its windows,
     * {@link DynamicLists#mayStillFlip}), the stored check becomes the earlier of itself and the condition's next flip
     * for that prospect (from then on the event path keeps it). Only the rebuilt condition is evaluated, with one load
     * of only the facts it reads per page: every other watched condition is unchanged, and the stored check is already
     * the first of their flips. A check due earlier than needed is harmless — the condition check re-evaluates every
     * watched condition then and stores the exact next one — a missed one would be a defect; so the first flips are
     * taken from the rebuild's instant, and a flip passed meanwhile makes the check due at once. The replaced condition
     * of an edit is not looked at: a check it caused is now at worst early, and goes as just said. Every other
     * prospect's answer to the rebuilt condition is settled, so its stored check stands. Keyset pages, one transaction
     * each, skipping rows being changed (whose writer evaluates them before it commits); locked {@code FOR NO KEY
     * UPDATE}, as the condition checks lock them, so inserts referencing a prospect do not wait for the page.
     */
    private ListView afterSave(Saved saved, Condition rebuilt) {
        long scheduled = 0;
        DynamicLists.Rebuild rebuild = saved.rebuild();
        if (rebuild != null && rebuilt != null && DynamicLists.timeRelative(rebuilt)) {
            Instant at = rebuild.at();
            ConditionSql.Compiled dated = dynamic.mayStillFlip(rebuilt, at);
            long after = 0;
            while (true) {
                long from = after;
                List<Long> page = tx.execute(status -> {
                    List<Long> ids = jdbc.sql("SELECT p.id FROM " + ConditionSql.FROM
                                    + " WHERE p.id > :after AND " + dated.sql()
                                    + " ORDER BY p.id LIMIT :limit FOR NO KEY UPDATE OF p SKIP LOCKED")
                            .params(dated.params())
                            .param("after", from)
                            .param("limit", SCHEDULE_PAGE)
                            .query(Long.class)
                            .list();
                    prospectRows.advanceConditionChecks(dynamic.nextFlips(ids, rebuilt, at));
                    return ids;
                });
                if (page == null || page.isEmpty()) {
                    break;
                }
                scheduled += page.size();
                after = page.getLast();
            }
        }
        ListView view = get(saved.id());
        return rebuild == null
                ? view
                : view.withRebuild(new ListRebuild(rebuild.joined(), rebuild.left(), rebuild.millis(), scheduled));
    }

    /** Deletes a list nothing refers to; 409 naming what still refers to it. */
    public void delete(long id) {
        tx.executeWithoutResult(status -> {
            lockDefinitions();
            ListView before = get(id);
            // Spring leaves this bean out of its own provider once other ListReferences exist: ask it explicitly
            java.util.Set<String> found = new java.util.LinkedHashSet<>(referencing(id));
            references.orderedStream().forEach(r -> found.addAll(r.referencing(id)));
            List<String> referring = new ArrayList<>(found);
            if (!referring.isEmpty()) {
                throw new ConflictException(
                        "The list is used by " + String.join(", ", referring) + "; change those first");
            }
            jdbc.sql("DELETE FROM list WHERE id = :id").param("id", id).update();
            audit.record(AuditEntry.deleted("list", id, before));
        });
    }

    @Override
    public List<String> referencing(long listId) {
        List<String> referring = new ArrayList<>();
        jdbc.sql("SELECT id, name, CAST(condition AS text) FROM list WHERE kind = 'DYNAMIC' AND id <> :id ORDER BY id")
                .param("id", listId)
                .query((ResultSet rs) -> {
                    long id = rs.getLong(1);
                    String name = rs.getString(2);
                    dynamic.parse(id, rs.getString(3)).ifPresent(c -> {
                        if (listsIn(c).contains(listId)) {
                            referring.add("list \"" + name + "\" (" + id + ")");
                        }
                    });
                });
        return referring;
    }

    /** Adds prospects to a static list (reason manual, import or action); returns how many joined. */
    public int add(long listId, Collection<Long> prospectIds, String reason) {
        Integer n = tx.execute(status -> {
            requireStatic(listId);
            requireProspects(prospectIds);
            audit.record(AuditEntry.of(
                    "list", listId, "add_members", null, Map.of("prospectIds", prospectIds, "reason", reason)));
            return memberships
                    .join(changes(listId, prospectIds), clock.instant(), reason)
                    .size();
        });
        return n == null ? 0 : n;
    }

    /** Removes prospects from a static list; returns how many left. */
    public int remove(long listId, Collection<Long> prospectIds, String reason) {
        Integer n = tx.execute(status -> {
            requireStatic(listId);
            audit.record(AuditEntry.of(
                    "list", listId, "remove_members", Map.of("prospectIds", prospectIds, "reason", reason), null));
            return memberships
                    .leave(changes(listId, prospectIds), clock.instant(), reason)
                    .size();
        });
        return n == null ? 0 : n;
    }

    /**
     * Adds prospects to a static list on behalf of an automated action, in the caller's transaction (no audit entry:
     * the action is the record). A list deleted or not static is skipped, nothing changes. Returns the prospects that
     * joined.
     */
    public List<Long> joinByAction(long listId, Collection<Long> prospectIds, String reason) {
        if (!isStatic(listId)) {
            return List.of();
        }
        return memberships.join(changes(listId, prospectIds), clock.instant(), reason).stream()
                .map(Memberships.Change::prospectId)
                .toList();
    }

    /** Removes prospects from a static list on behalf of an automated action; the same rules as {@link #joinByAction}. */
    public List<Long> leaveByAction(long listId, Collection<Long> prospectIds, String reason) {
        if (!isStatic(listId)) {
            return List.of();
        }
        return memberships.leave(changes(listId, prospectIds), clock.instant(), reason).stream()
                .map(Memberships.Change::prospectId)
                .toList();
    }

    /** One change per distinct prospect, in id order (the order rows are locked in). */
    private static List<Memberships.Change> changes(long listId, Collection<Long> prospectIds) {
        return prospectIds.stream()
                .distinct()
                .sorted()
                .map(p -> new Memberships.Change(listId, p))
                .toList();
    }

    private boolean isStatic(long listId) {
        return jdbc.sql("SELECT kind FROM list WHERE id = :id FOR SHARE")
                .param("id", listId)
                .query(String.class)
                .optional()
                .filter(STATIC::equals)
                .isPresent();
    }

    public Page<Member> members(long listId, int limit, String cursor) {
        get(listId);
        Long after = decode(cursor, "m:");
        List<Member> rows = jdbc.sql("""
                        SELECT m.prospect_id, p.email, p.first_name, p.last_name, m.since
                          FROM list_member m JOIN prospect p ON p.id = m.prospect_id
                         WHERE m.list_id = :list AND (CAST(:after AS bigint) IS NULL OR m.prospect_id < :after)
                         ORDER BY m.prospect_id DESC
                         LIMIT :limit""")
                .param("list", listId)
                .param("after", after)
                .param("limit", limit + 1)
                .query((rs, n) -> new Member(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
        return page(rows, limit, m -> encode("m:", m.prospectId()));
    }

    public Page<MembershipEvent> history(long listId, int limit, String cursor) {
        get(listId);
        Long after = decode(cursor, "h:");
        List<MembershipEvent> rows = jdbc.sql("""
                        SELECT e.id, e.list_id, e.prospect_id, p.email, e.at, e.change, e.reason
                          FROM list_membership_event e JOIN prospect p ON p.id = e.prospect_id
                         WHERE e.list_id = :list AND (CAST(:after AS bigint) IS NULL OR e.id < :after)
                         ORDER BY e.id DESC
                         LIMIT :limit""")
                .param("list", listId)
                .param("after", after)
                .param("limit", limit + 1)
                .query((rs, n) -> new MembershipEvent(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getString(6),
                        rs.getString(7)))
                .list();
        return page(rows, limit, e -> encode("h:", e.id()));
    }

    /** The lists a prospect is a member of, by name. */
    public List<Membership> ofProspect(long prospectId) {
        return jdbc.sql("""
                        SELECT l.id, l.name, l.kind, m.since
                          FROM list_member m JOIN list l ON l.id = m.list_id
                         WHERE m.prospect_id = :id
                         ORDER BY lower(l.name), l.id""")
                .param("id", prospectId)
                .query((rs, n) -> new Membership(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> cursor) {
        if (rows.size() > limit) {
            List<T> items = rows.subList(0, limit);
            return new Page<>(List.copyOf(items), cursor.apply(items.getLast()));
        }
        return new Page<>(rows, null);
    }

    private void lockDefinitions() {
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)")
                .param("key", DEFINITIONS_LOCK)
                .query((rs, n) -> 1)
                .list();
    }

    private void checkName(String name, Long id) {
        boolean taken = jdbc.sql("SELECT EXISTS (SELECT 1 FROM list WHERE lower(name) = lower(:name) AND id <> :id)")
                .param("name", name)
                .param("id", id == null ? -1L : id)
                .query(Boolean.class)
                .single();
        if (taken) {
            throw InvalidInputException.of("name", "is already the name of another list");
        }
    }

    /**
     * Every list the condition names must exist, and following the conditions of the lists it names must never
     * lead back to the list being saved.
     */
    private void checkReferences(Long id, Condition condition) {
        if (condition == null) {
            return;
        }
        Set<Long> named = listsIn(condition);
        if (named.isEmpty()) {
            return;
        }
        Map<Long, Set<Long>> graph = new HashMap<>();
        Set<Long> existing = new HashSet<>();
        jdbc.sql("SELECT id, CAST(condition AS text) FROM list").query((ResultSet rs) -> {
            long list = rs.getLong(1);
            existing.add(list);
            String text = rs.getString(2);
            graph.put(
                    list,
                    text == null
                            ? Set.of()
                            : dynamic.parse(list, text).map(Lists::listsIn).orElse(Set.of()));
        });
        List<FieldError> errors = new ArrayList<>();
        for (long list : new TreeSet<>(named)) {
            if (!existing.contains(list)) {
                errors.add(new FieldError("condition", "names list " + list + ", which does not exist"));
            } else if (id != null && list == id) {
                errors.add(new FieldError("condition", "names the list itself"));
            } else if (id != null && reaches(graph, list, id)) {
                errors.add(new FieldError(
                        "condition",
                        "names list " + list + ", whose condition leads back to this "
                                + "list (lists may not depend on each other in a cycle)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static boolean reaches(Map<Long, Set<Long>> graph, long from, long target) {
        Deque<Long> todo = new ArrayDeque<>(List.of(from));
        Set<Long> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            long at = todo.pop();
            if (at == target) {
                return true;
            }
            if (seen.add(at)) {
                todo.addAll(graph.getOrDefault(at, Set.of()));
            }
        }
        return false;
    }

    /** The ids of the lists a condition names. */
    static Set<Long> listsIn(Condition condition) {
        Set<Long> ids = new TreeSet<>();
        collect(condition, ids);
        return ids;
    }

    private static void collect(Condition condition, Set<Long> into) {
        switch (condition) {
            case Condition.All all -> all.conditions().forEach(c -> collect(c, into));
            case Condition.Any any -> any.conditions().forEach(c -> collect(c, into));
            case Condition.Not not -> collect(not.condition(), into);
            case Condition.ListMembership list -> into.add(list.listId());
            default -> {}
        }
    }

    private void requireStatic(long listId) {
        String kind = jdbc.sql("SELECT kind FROM list WHERE id = :id FOR SHARE")
                .param("id", listId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("No list " + listId));
        if (!STATIC.equals(kind)) {
            throw new ConflictException("List " + listId + " is dynamic: its members are the prospects meeting its "
                    + "condition and cannot be added or removed by hand");
        }
    }

    private void requireProspects(Collection<Long> prospectIds) {
        Long[] ids = prospectIds.stream().distinct().toArray(Long[]::new);
        Set<Long> found = new HashSet<>(jdbc.sql("SELECT id FROM prospect WHERE id = ANY(:ids)")
                .param("ids", ids)
                .query(Long.class)
                .list());
        List<FieldError> errors = new ArrayList<>();
        int i = 0;
        for (Long id : prospectIds) {
            if (!found.contains(id)) {
                errors.add(new FieldError("prospectIds[" + i + "]", "no prospect " + id));
            }
            i++;
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() > 100 ? errors.subList(0, 100) : errors);
        }
    }

    private String conditionText(Condition condition) {
        return condition == null ? null : json.writeValueAsString(ConditionJson.write(condition));
    }

    /** The SQL compiler's objections (leaves not supported set-based), as errors under {@code condition}. */
    static void checkCompiles(Condition condition, LifecycleThresholds thresholds, Instant now) {
        try {
            ConditionSql.compile(condition, now, thresholds.current());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.errors().stream()
                    .map(f -> new FieldError(
                            f.field().equals("condition") ? "condition" : "condition." + f.field(), f.message()))
                    .toList());
        }
    }

    static String encode(String prefix, long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + id).getBytes(StandardCharsets.UTF_8));
    }

    static Long decode(String cursor, String prefix) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(prefix)) {
                return Long.parseLong(decoded.substring(prefix.length()));
            }
        } catch (IllegalArgumentException e) {
            // not ours
        }
        throw InvalidInputException.of("cursor", "is not a cursor this API issued");
    }
}
