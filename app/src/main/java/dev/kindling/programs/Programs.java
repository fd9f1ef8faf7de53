package dev.kindling.programs;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.automation.ActionJson;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.ProgramError;
import dev.kindling.engine.program.ProgramStatus;
import dev.kindling.engine.program.ProgramTemplate;
import dev.kindling.engine.program.ProgramValidator;
import dev.kindling.engine.program.Step;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.Prospects;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Programs and their versions. A program is saved only when its definition is valid (the engine's
 * {@link ProgramValidator}, every problem named by its step, plus what only the app knows: that lists, email
 * templates, users and teams exist and field values fit their field). Every save after the first is a new version:
 * enrollments keep the version they started on, new ones take the latest. Definitions are immutable, so they are
 * cached by (program, version).
 */
@Component
public class Programs {

    private final AuditLog audit;

    /** A program's row and where it stands. */
    public record ProgramRow(
            long id,
            String name,
            ProgramStatus status,
            int currentVersion,
            String template,
            Instant createdAt,
            Instant startedAt) {}

    /** One version of a program. */
    public record VersionRow(int version, Instant createdAt, long enrollments) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Prospects prospects;
    private final ActionJson actionJson;
    private final Clock clock;
    private final Map<String, ProgramDefinition> cache = new ConcurrentHashMap<>();

    Programs(
            JdbcClient jdbc, JsonMapper json, Prospects prospects, ActionJson actionJson, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.prospects = prospects;
        this.actionJson = actionJson;
        this.clock = clock;
    }

    /** Reads and checks a definition; 400 with every problem (JSON paths, then {@code steps.<id>} for the graph). */
    public ProgramDefinition parse(JsonNode body, long programId, int version) {
        ProgramDefinition d = ProgramJson.read(body, programId, version, prospects.customFields(), this::action);
        List<FieldError> errors = new ArrayList<>();
        for (ProgramError e : ProgramValidator.validate(d)) {
            errors.add(error(e));
        }
        errors.addAll(references(d));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return d;
    }

    static FieldError error(ProgramError e) {
        return new FieldError(e.stepId() == null ? "program" : "steps." + e.stepId(), e.message());
    }

    /** A step's action as the one action codec reads it, checked against what exists now. */
    private Action action(JsonNode node, String at, List<FieldError> errors) {
        return actionJson.stepAction(JsonValues.value(node), at, errors);
    }

    /** What only the app can check of the program itself (its actions the codec checked): its lists exist. */
    private List<FieldError> references(ProgramDefinition d) {
        List<FieldError> errors = new ArrayList<>();
        Set<Long> lists = new HashSet<>(d.recipientListIds());
        lists.addAll(d.suppressionListIds());
        if (!lists.isEmpty()) {
            Set<Long> existing = new HashSet<>(jdbc.sql("SELECT id FROM list WHERE id = ANY(:ids)")
                    .param("ids", lists.toArray(Long[]::new))
                    .query(Long.class)
                    .list());
            lists.stream()
                    .filter(id -> !existing.contains(id))
                    .sorted()
                    .forEach(id -> errors.add(new FieldError("lists", "list " + id + " does not exist")));
        }
        return errors;
    }

    /** Creates a program (DRAFT, version 1) from a definition. */
    @Transactional
    public ProgramRow create(JsonNode body) {
        long id = nextId();
        ProgramDefinition d = parse(body, id, 1);
        return insert(d, null);
    }

    /** Creates a program (DRAFT, version 1) from a ready-made template, with a name and optional recipients. */
    @Transactional
    public ProgramRow createFromTemplate(
            ProgramTemplate template, String name, List<Long> recipientListIds, Map<String, String> emails) {
        long id = nextId();
        ProgramDefinition base = template.create(id).withEmails(emails == null ? Map.of() : emails);
        var node = ProgramJson.write(base);
        if (name != null && !name.isBlank()) {
            node.put("name", name.strip());
        }
        if (recipientListIds != null) {
            var arr = node.putArray("recipientListIds");
            recipientListIds.forEach(arr::add);
        }
        ProgramDefinition d = parse(node, id, 1);
        return insert(d, template.name());
    }

    private long nextId() {
        return jdbc.sql("SELECT nextval(pg_get_serial_sequence('program', 'id'))")
                .query(Long.class)
                .single();
    }

    private ProgramRow insert(ProgramDefinition d, String template) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        INSERT INTO program (id, name, status, current_version, template, created_at)
                        VALUES (:id, :name, 'DRAFT', 1, :template, :now)""")
                .param("id", d.programId())
                .param("name", d.name())
                .param("template", template)
                .param("now", now)
                .update();
        insertVersion(d, now);
        audit.record(AuditEntry.created("program", d.programId(), ProgramJson.write(d)));
        return get(d.programId());
    }

    private void insertVersion(ProgramDefinition d, Timestamp now) {
        jdbc.sql("""
                        INSERT INTO program_version (program_id, version, definition, created_at)
                        VALUES (:id, :version, CAST(:definition AS jsonb), :now)""")
                .param("id", d.programId())
                .param("version", d.version())
                .param("definition", json.writeValueAsString(ProgramJson.write(d)))
                .param("now", now)
                .update();
    }

    /**
     * Saves an edited definition as the next version: enrollments in flight stay on theirs. A program that has
     * never run keeps no history worth keeping, but versions are cheap and uniform: every save is one.
     */
    @Transactional
    public ProgramRow revise(long id, JsonNode body) {
        ProgramRow row = lock(id);
        ProgramDefinition d = parse(body, id, row.currentVersion() + 1);
        insertVersion(d, Timestamp.from(clock.instant()));
        jdbc.sql("UPDATE program SET current_version = :v, name = :name WHERE id = :id")
                .param("v", d.version())
                .param("name", d.name())
                .param("id", id)
                .update();
        audit.record(AuditEntry.updated(
                "program", id, ProgramJson.write(definition(id, row.currentVersion())), ProgramJson.write(d)));
        return get(id);
    }

    /** Saves a definition edited in the engine ({@link ProgramDefinition#insert}, {@code edit}, {@code remove}). */
    @Transactional
    public ProgramRow revise(long id, ProgramDefinition edited) {
        return revise(id, ProgramJson.write(edited));
    }

    /** Reads one step as the API writes it; 400 naming every problem under {@code at}. */
    Step step(JsonNode json, String at) {
        return ProgramJson.readStep(json, at, prospects.customFields(), this::action);
    }

    ProgramRow lock(long id) {
        return jdbc.sql("""
                        SELECT id, name, status, current_version, template, created_at, started_at
                          FROM program WHERE id = :id FOR UPDATE""")
                .param("id", id)
                .query(Programs::row)
                .optional()
                .orElseThrow(() -> new NotFoundException("program " + id));
    }

    public ProgramRow get(long id) {
        return jdbc.sql(
                        "SELECT id, name, status, current_version, template, created_at, started_at FROM program WHERE id = :id")
                .param("id", id)
                .query(Programs::row)
                .optional()
                .orElseThrow(() -> new NotFoundException("program " + id));
    }

    public List<ProgramRow> all() {
        return jdbc.sql(
                        "SELECT id, name, status, current_version, template, created_at, started_at FROM program ORDER BY id")
                .query(Programs::row)
                .list();
    }

    /** The programs that run now (their latest version enrolls). */
    List<ProgramRow> running() {
        return jdbc.sql("""
                        SELECT id, name, status, current_version, template, created_at, started_at FROM program
                         WHERE status = 'RUNNING' ORDER BY id""").query(Programs::row).list();
    }

    /**
     * Every version of every program (an open enrollment stands on the version it entered, of a running program or
     * not), from the definitions' cache after the first read.
     */
    List<ProgramDefinition> everyVersion() {
        List<long[]> versions = jdbc.sql("SELECT program_id, version FROM program_version ORDER BY program_id, version")
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getInt(2)})
                .list();
        List<ProgramDefinition> all = new java.util.ArrayList<>();
        versions.forEach(v -> all.add(definition(v[0], (int) v[1])));
        return all;
    }

    public List<VersionRow> versions(long id) {
        get(id);
        return jdbc.sql("""
                        SELECT v.version, v.created_at,
                               (SELECT count(*) FROM program_enrollment e
                                 WHERE e.program_id = v.program_id AND e.version = v.version) AS enrollments
                          FROM program_version v WHERE v.program_id = :id ORDER BY v.version""")
                .param("id", id)
                .query((rs, n) -> new VersionRow(
                        rs.getInt("version"), rs.getTimestamp("created_at").toInstant(), rs.getLong("enrollments")))
                .list();
    }

    /** The definition of one version (immutable, cached). */
    public ProgramDefinition definition(long id, int version) {
        return cache.computeIfAbsent(id + ":" + version, k -> {
            String text = jdbc.sql(
                            "SELECT CAST(definition AS text) FROM program_version WHERE program_id = :id AND version = :v")
                    .param("id", id)
                    .param("v", version)
                    .query(String.class)
                    .optional()
                    .orElseThrow(() -> new NotFoundException("program " + id + " version " + version));
            return ProgramJson.read(
                    json.readTree(text), id, version, prospects.customFields(), ProgramJson.Actions.STORED);
        });
    }

    /** The latest version's definition. */
    public ProgramDefinition current(long id) {
        return definition(id, get(id).currentVersion());
    }

    private static ProgramRow row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp started = rs.getTimestamp("started_at");
        return new ProgramRow(
                rs.getLong("id"),
                rs.getString("name"),
                ProgramStatus.valueOf(rs.getString("status")),
                rs.getInt("current_version"),
                rs.getString("template"),
                rs.getTimestamp("created_at").toInstant(),
                started == null ? null : started.toInstant());
    }
}
