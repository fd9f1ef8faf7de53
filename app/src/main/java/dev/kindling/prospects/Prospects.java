package dev.kindling.prospects;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.engine.identity.FreeMailDomains;
import dev.kindling.platform.web.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes prospects. A prospect is created {@code CAPTURED} (the transition and the
 * first time the stage was reached are recorded) and joins the account of its email domain,
 * created on first sight unless the domain is a free-mail provider.
 */
@Component
public class Prospects {

    private final AuditLog audit;

    static final String COLUMNS = """
            p.id, p.email, p.first_name, p.last_name, p.company, p.job_title, p.department, p.industry,
            p.employees, p.country, p.phone, p.website, p.source, p.custom::text AS custom, p.account_id,
            p.campaign_id, p.owner_id, p.score, p.grade, p.stage, p.opted_out, p.hard_bounced, p.do_not_email,
            p.last_activity_at, p.captured_at, p.created_at, p.updated_at""";

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<ProspectSignals> signals;
    private final ErasedProspects erased;
    private final ProspectRows rows;

    Prospects(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            ApplicationEventPublisher events,
            ObjectProvider<ProspectSignals> signals,
            ErasedProspects erased,
            AuditLog audit,
            ProspectRows rows) {
        this.rows = rows;
        this.audit = audit;
        this.erased = erased;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.events = events;
        this.signals = signals;
    }

    /** The outcome of an upsert by email. */
    public record Upserted(long id, boolean created) {}

    /** A page of prospects, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<ProspectView> items, String nextCursor) {}

    /** Filters of the prospect list; null means "any". */
    public record Filter(String email, String stage, String search, String quadrant, Long listId) {

        public Filter(String email, String stage, String search) {
            this(email, stage, search, null, null);
        }

        public Filter(String email, String stage, String search, String quadrant) {
            this(email, stage, search, quadrant, null);
        }
    }

    public Optional<ProspectView> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM prospect p WHERE p.id = :id")
                .param("id", id)
                .query(this::view)
                .optional()
                .map(p -> withSignals(List.of(p)).getFirst());
    }

    public ProspectView get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No prospect " + id));
    }

    /** Which of these emails (normalised) already find a prospect, its own address or a merged one's. */
    public List<String> knownEmails(Collection<String> emails) {
        String[] normalised =
                emails.stream().map(EmailAddress::normalize).distinct().toArray(String[]::new);
        if (normalised.length == 0) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT email FROM prospect WHERE email = ANY(:emails)
                        UNION SELECT loser_email FROM prospect_merged WHERE loser_email = ANY(:emails)""").param("emails", normalised).query(String.class).list();
    }

    /** The ids of the prospects with these emails (normalised), by the normalised email. */
    public Map<String, Long> idsByEmail(Collection<String> emails) {
        String[] normalised =
                emails.stream().map(EmailAddress::normalize).distinct().toArray(String[]::new);
        Map<String, Long> out = new HashMap<>();
        if (normalised.length > 0) {
            jdbc.sql("SELECT email, id FROM prospect WHERE email = ANY(:emails)")
                    .param("emails", normalised)
                    .query(rs -> {
                        out.put(rs.getString(1), rs.getLong(2));
                    });
        }
        return out;
    }

    public Optional<ProspectView> findByEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM prospect p WHERE p.email = :email")
                .param("email", EmailAddress.normalize(email))
                .query(this::view)
                .optional()
                .map(p -> withSignals(List.of(p)).getFirst());
    }

    public Page list(Filter filter, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM prospect p WHERE true");
        Map<String, Object> params = new HashMap<>();
        if (filter.email() != null && !filter.email().isBlank()) {
            sql.append(" AND p.email = :email");
            params.put("email", EmailAddress.normalize(filter.email()));
        }
        if (filter.stage() != null && !filter.stage().isBlank()) {
            sql.append(" AND p.stage = :stage");
            params.put("stage", filter.stage());
        }
        if (filter.search() != null && !filter.search().isBlank()) {
            sql.append(" AND (p.email ILIKE :q OR p.first_name ILIKE :q OR p.last_name ILIKE :q")
                    .append(
                            " OR p.company ILIKE :q OR (coalesce(p.first_name,'') || ' ' || coalesce(p.last_name,'')) ILIKE :q)");
            params.put("q", "%" + likeEscape(filter.search().strip()) + "%");
        }
        if (filter.quadrant() != null && !filter.quadrant().isBlank()) {
            // prospect_quadrant() is defined with the thresholds by the grading migration
            sql.append(" AND prospect_quadrant(p.score, p.grade) = :quadrant");
            params.put("quadrant", filter.quadrant());
        }
        if (filter.listId() != null) {
            // list_member is created by the lists migration
            sql.append(" AND EXISTS (SELECT 1 FROM list_member m WHERE m.list_id = :listId AND m.prospect_id = p.id)");
            params.put("listId", filter.listId());
        }
        Long after = decodeCursor(cursor);
        if (after != null) {
            sql.append(" AND p.id < :after");
            params.put("after", after);
        }
        sql.append(" ORDER BY p.id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<ProspectView> rows =
                jdbc.sql(sql.toString()).params(params).query(this::view).list();
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = encodeCursor(rows.get(rows.size() - 1).id());
        }
        return new Page(withSignals(rows), next);
    }

    private List<ProspectView> withSignals(List<ProspectView> rows) {
        ProspectSignals derive = signals.getIfAvailable();
        if (derive == null || rows.isEmpty()) {
            return List.copyOf(rows);
        }
        Map<Long, ProspectSignals.Signals> byId = derive.of(rows);
        return rows.stream()
                .map(p -> byId.containsKey(p.id()) ? p.withSignals(byId.get(p.id())) : p)
                .toList();
    }

    /**
     * Creates the prospect of {@code changes.email()} or updates it with the given fields.
     *
     * @param cause why a new prospect was captured (e.g. {@code "form:contact"}, {@code "api"}, {@code "import"})
     */
    @Transactional
    public Upserted upsert(ProspectChanges changes, String cause) {
        String email = changes.email();
        Instant now = clock.instant();
        Long existing = jdbc.sql("SELECT id FROM prospect WHERE email = :email FOR UPDATE")
                .param("email", email)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (existing != null) {
            update(existing, changes);
            return new Upserted(existing, false);
        }
        erased.refuse(email);
        Long survivor = mergedInto(List.of(email)).get(email);
        if (survivor != null) {
            // the address of a prospect merged into another: that one is updated, its own address kept
            Map<ProspectField, Object> fields = new java.util.EnumMap<>(ProspectField.class);
            fields.putAll(changes.fields());
            fields.remove(ProspectField.EMAIL);
            update(survivor, new ProspectChanges(fields, changes.custom()));
            return new Upserted(survivor, false);
        }
        Map<String, Object> params = new HashMap<>();
        StringBuilder columns = new StringBuilder("email, custom, account_id, captured_at, created_at, updated_at");
        StringBuilder values = new StringBuilder(":email, CAST(:custom AS jsonb), :account, :now, :now, :now");
        for (Map.Entry<ProspectField, Object> f : changes.fields().entrySet()) {
            if (f.getKey() == ProspectField.EMAIL) {
                continue;
            }
            columns.append(", ").append(f.getKey().column());
            values.append(", :").append(f.getKey().column());
            params.put(f.getKey().column(), f.getValue());
        }
        Map<String, Object> custom = new LinkedHashMap<>(changes.custom());
        custom.values().removeIf(v -> v == null);
        params.put("email", email);
        params.put("custom", json.writeValueAsString(custom));
        params.put("account", accountFor(email, (String) changes.fields().get(ProspectField.COMPANY), now));
        params.put("now", Timestamp.from(now));
        Optional<Long> created = jdbc.sql("INSERT INTO prospect (" + columns + ") VALUES (" + values + ")"
                        + " ON CONFLICT (email) DO NOTHING RETURNING id")
                .params(params)
                .query(Long.class)
                .optional();
        if (created.isEmpty()) {
            // a concurrent request created it first: this one is an update
            long id = findByEmail(email).orElseThrow().id();
            update(id, changes);
            return new Upserted(id, false);
        }
        recordCaptured(List.of(created.get()), cause, now);
        events.publishEvent(new ProspectsChanged(java.util.Set.of(created.get())));
        return new Upserted(created.get(), true);
    }

    /**
     * {@link #upsert} for many in one round of set-based statements, as if one after the other in the order given:
     * the ids in that order. Each change names its email (normalised, valid) and its {@code causes} entry why a new
     * prospect was captured; the changes never clear a field (captured text: {@code FilledValues}), and of two changes
     * for one prospect the later's values win. An existing prospect is locked (in id order, as intake locks them); a
     * new one gets the account of its domain, named by the company of the first change of that domain when new, as
     * {@link #upsert} names it; the address of a prospect merged into another updates that one, its own address kept.
     * An erased person's address is refused (409) as by {@link #upsert}, and then nothing of the batch is written.
     */
    @Transactional
    public List<Long> upsertAll(List<ProspectChanges> changes, List<String> causes) {
        if (changes.size() != causes.size()) {
            throw new IllegalArgumentException("one cause per change");
        }
        Instant now = clock.instant();
        TreeSet<String> emails = new TreeSet<>();
        changes.forEach(c -> emails.add(c.email()));
        Map<String, Long> ids = new HashMap<>();
        jdbc.sql("SELECT id, email FROM prospect WHERE email = ANY(:emails) ORDER BY id FOR UPDATE")
                .param("emails", emails.toArray(String[]::new))
                .query((rs, n) -> ids.put(rs.getString(2), rs.getLong(1)))
                .list();
        List<String> missing = new ArrayList<>();
        for (String email : emails) {
            if (!ids.containsKey(email)) {
                missing.add(email);
            }
        }
        Map<Long, String> captured = new LinkedHashMap<>();
        if (!missing.isEmpty()) {
            Set<String> erasedOnes = erased.erasedAmong(missing);
            if (!erasedOnes.isEmpty()) {
                erased.refuse(erasedOnes.iterator().next());
            }
            Map<String, Long> merged = mergedInto(missing);
            ids.putAll(merged);
            missing.removeAll(merged.keySet());
        }
        if (!missing.isEmpty()) {
            // the account of each new prospect's domain, named by the first change's company (as upsert names it)
            Map<String, String> nameByDomain = new LinkedHashMap<>();
            for (ProspectChanges c : changes) {
                String email = c.email();
                String domain = email.substring(email.indexOf('@') + 1);
                if (missing.contains(email) && !FreeMailDomains.contains(domain)) {
                    String company = (String) c.fields().get(ProspectField.COMPANY);
                    nameByDomain.putIfAbsent(domain, company != null ? company : domain);
                }
            }
            Map<String, Long> accountByDomain = new HashMap<>();
            if (!nameByDomain.isEmpty()) {
                String[] domains = nameByDomain.keySet().stream().sorted().toArray(String[]::new);
                String[] names = Arrays.stream(domains).map(nameByDomain::get).toArray(String[]::new);
                jdbc.sql("""
                                INSERT INTO account (name, domain, created_at)
                                SELECT n, d, :now FROM unnest(CAST(:names AS text[]), CAST(:domains AS text[])) AS t(n, d)
                                ON CONFLICT (domain) DO NOTHING""")
                        .param("names", names)
                        .param("domains", domains)
                        .param("now", Timestamp.from(now))
                        .update();
                jdbc.sql("SELECT id, domain FROM account WHERE domain = ANY(:domains)")
                        .param("domains", domains)
                        .query((rs, n) -> accountByDomain.put(rs.getString(2), rs.getLong(1)))
                        .list();
            }
            Long[] accounts = missing.stream()
                    .map(e -> accountByDomain.get(e.substring(e.indexOf('@') + 1)))
                    .toArray(Long[]::new);
            Map<String, String> causeOf = new HashMap<>();
            for (int i = 0; i < changes.size(); i++) {
                causeOf.putIfAbsent(changes.get(i).email(), causes.get(i));
            }
            jdbc.sql("""
                            INSERT INTO prospect (email, account_id, captured_at, created_at, updated_at)
                            SELECT e, a, :now, :now, :now
                              FROM unnest(CAST(:emails AS text[]), CAST(:accounts AS bigint[])) AS t(e, a)
                            ON CONFLICT (email) DO NOTHING
                            RETURNING id, email""")
                    .param("emails", missing.toArray(String[]::new))
                    .param("accounts", accounts)
                    .param("now", Timestamp.from(now))
                    .query((rs, n) -> {
                        ids.put(rs.getString(2), rs.getLong(1));
                        captured.put(rs.getLong(1), causeOf.get(rs.getString(2)));
                        return null;
                    })
                    .list();
            List<String> concurrent =
                    missing.stream().filter(e -> !ids.containsKey(e)).toList();
            if (!concurrent.isEmpty()) {
                // created by a concurrent request first: these are updates
                jdbc.sql("SELECT id, email FROM prospect WHERE email = ANY(:emails) ORDER BY id FOR UPDATE")
                        .param("emails", concurrent.toArray(String[]::new))
                        .query((rs, n) -> ids.put(rs.getString(2), rs.getLong(1)))
                        .list();
            }
        }
        // the values to write per prospect, later changes over earlier ones; the address is never written (a merged
        // prospect's survivor keeps its own)
        Map<Long, Map<ProspectField, Object>> fields = new LinkedHashMap<>();
        Map<Long, Map<String, Object>> custom = new LinkedHashMap<>();
        List<Long> result = new ArrayList<>();
        for (ProspectChanges c : changes) {
            Long id = ids.get(c.email());
            if (id == null) {
                throw new IllegalStateException("No prospect for a posted address after the upsert");
            }
            result.add(id);
            Map<ProspectField, Object> f =
                    fields.computeIfAbsent(id, k -> new java.util.EnumMap<>(ProspectField.class));
            f.putAll(c.fields());
            f.remove(ProspectField.EMAIL);
            custom.computeIfAbsent(id, k -> new LinkedHashMap<>()).putAll(c.custom());
        }
        if (!captured.isEmpty()) {
            Map<String, Map<Long, Instant>> byCause = new LinkedHashMap<>();
            captured.forEach((id, cause) ->
                    byCause.computeIfAbsent(cause, k -> new LinkedHashMap<>()).put(id, now));
            byCause.forEach((cause, at) -> recordCaptured(at, cause));
        }
        Map<Long, ProspectChanges> writes = new LinkedHashMap<>();
        Set<Long> unwritten = new java.util.HashSet<>();
        fields.forEach((id, f) -> {
            ProspectChanges c = new ProspectChanges(f, custom.get(id));
            if (c.isEmpty()) {
                unwritten.add(id);
            } else {
                writes.put(id, c);
            }
        });
        rows.writeChanges(writes, now);
        if (!unwritten.isEmpty()) {
            // nothing but the address posted: the row is touched and its listeners told, as by update
            jdbc.sql("UPDATE prospect SET updated_at = :now WHERE id = ANY(:ids)")
                    .param("now", Timestamp.from(now))
                    .param("ids", unwritten.toArray(Long[]::new))
                    .update();
            events.publishEvent(new ProspectsChanged(unwritten));
        }
        return result;
    }

    /** Writes the given fields (a null value clears one) and merges custom values. */
    @Transactional
    public ProspectView update(long id, ProspectChanges changes) {
        erased.refuse(changes.email());
        Map<String, Object> params = new HashMap<>();
        StringBuilder set = new StringBuilder("updated_at = :now");
        for (Map.Entry<ProspectField, Object> f : changes.fields().entrySet()) {
            set.append(", ")
                    .append(f.getKey().column())
                    .append(" = :")
                    .append(f.getKey().column());
            params.put(f.getKey().column(), f.getValue());
        }
        if (!changes.custom().isEmpty()) {
            Map<String, Object> add = new LinkedHashMap<>(changes.custom());
            List<String> remove = new ArrayList<>();
            add.entrySet().removeIf(e -> {
                if (e.getValue() == null) {
                    remove.add(e.getKey());
                    return true;
                }
                return false;
            });
            set.append(", custom = (custom - CAST(:remove AS text[])) || CAST(:add AS jsonb)");
            params.put("add", json.writeValueAsString(add));
            params.put("remove", remove.toArray(String[]::new));
        }
        params.put("now", Timestamp.from(clock.instant()));
        params.put("id", id);
        int updated = jdbc.sql("UPDATE prospect SET " + set + " WHERE id = :id")
                .params(params)
                .update();
        if (updated == 0) {
            throw new NotFoundException("No prospect " + id);
        }
        events.publishEvent(new ProspectsChanged(java.util.Set.of(id)));
        return get(id);
    }

    /** A change by hand (the API's PATCH): written like {@link #update} and recorded in the audit log. */
    @Transactional
    public ProspectView edit(long id, ProspectChanges changes) {
        ProspectView before = get(id);
        ProspectView after = update(id, changes);
        audit.record(AuditEntry.updated("prospect", id, before, after));
        return after;
    }

    /**
     * The ids of these (normalised, valid) emails, creating the prospects that do not exist yet,
     * in one round of set-based statements. Used by intake for activities that name an email.
     */
    @Transactional
    public Map<String, Long> ensureExist(Collection<String> emails, String cause, Instant at) {
        Map<String, Instant> capturedAt = new HashMap<>();
        emails.forEach(e -> capturedAt.put(e, at));
        return ensureExist(capturedAt, cause, at);
    }

    /**
     * {@link #ensureExist(Collection, String, Instant)} with a capture time per email: a prospect first seen through
     * its activities was captured when the earliest of them happened (imported history keeps its cohort), not when
     * they were processed. Rows are created at {@code now}; a capture time after {@code now} is taken as {@code now}.
     */
    @Transactional
    public Map<String, Long> ensureExist(Map<String, Instant> capturedAt, String cause, Instant now) {
        Map<String, Long> ids = new HashMap<>();
        if (capturedAt.isEmpty()) {
            return ids;
        }
        Instant at = now;
        String[] sorted = new TreeSet<>(capturedAt.keySet()).toArray(String[]::new);
        jdbc.sql("SELECT id, email FROM prospect WHERE email = ANY(:emails)")
                .param("emails", sorted)
                .query((rs, n) -> ids.put(rs.getString(2), rs.getLong(1)))
                .list();
        List<String> missing = new ArrayList<>();
        for (String email : sorted) {
            if (!ids.containsKey(email)) {
                missing.add(email);
            }
        }
        missing.removeAll(erased.erasedAmong(missing)); // an erased person is not created again
        if (!missing.isEmpty()) {
            Map<String, Long> merged = mergedInto(missing);
            ids.putAll(merged);
            missing.removeAll(merged.keySet());
        }
        if (missing.isEmpty()) {
            return ids;
        }
        Map<String, Long> accounts = accountsFor(missing, at);
        Long[] accountIds = missing.stream().map(accounts::get).toArray(Long[]::new);
        Timestamp[] captures = missing.stream()
                .map(e -> {
                    Instant c = capturedAt.get(e);
                    return Timestamp.from(c == null || c.isAfter(now) ? now : c);
                })
                .toArray(Timestamp[]::new);
        Timestamp ts = Timestamp.from(at);
        List<Long> created = new ArrayList<>();
        Map<Long, Instant> createdAt = new HashMap<>();
        jdbc.sql("""
                        INSERT INTO prospect (email, account_id, captured_at, created_at, updated_at)
                        SELECT e, a, c, :at, :at
                          FROM unnest(CAST(:emails AS text[]), CAST(:accounts AS bigint[]), CAST(:captures AS timestamptz[]))
                               AS t(e, a, c)
                        ON CONFLICT (email) DO NOTHING
                        RETURNING id, email, captured_at""")
                .param("emails", missing.toArray(String[]::new))
                .param("accounts", accountIds)
                .param("captures", captures)
                .param("at", ts)
                .query((rs, n) -> {
                    created.add(rs.getLong(1));
                    createdAt.put(rs.getLong(1), rs.getTimestamp(3).toInstant());
                    return ids.put(rs.getString(2), rs.getLong(1));
                })
                .list();
        if (created.size() < missing.size()) {
            jdbc.sql("SELECT id, email FROM prospect WHERE email = ANY(:emails)")
                    .param("emails", missing.toArray(String[]::new))
                    .query((rs, n) -> ids.put(rs.getString(2), rs.getLong(1)))
                    .list();
        }
        recordCaptured(createdAt, cause);
        if (!created.isEmpty()) {
            events.publishEvent(new ProspectsChanged(new java.util.HashSet<>(created)));
        }
        return ids;
    }

    /** The survivors of merged prospects by their (former) addresses: such an address still finds its person. */
    private Map<String, Long> mergedInto(List<String> emails) {
        Map<String, Long> survivors = new HashMap<>();
        // prospect_merged is created by the merge migration (ProspectMerges)
        jdbc.sql("SELECT loser_email, max(survivor_id) FROM prospect_merged WHERE loser_email = ANY(:emails)"
                        + " GROUP BY loser_email")
                .param("emails", emails.toArray(String[]::new))
                .query((rs, n) -> survivors.put(rs.getString(1), rs.getLong(2)))
                .list();
        return survivors;
    }

    private void recordCaptured(List<Long> prospectIds, String cause, Instant at) {
        Map<Long, Instant> capturedAt = new HashMap<>();
        prospectIds.forEach(id -> capturedAt.put(id, at));
        recordCaptured(capturedAt, cause);
    }

    /** Tells the lifecycle, which owns the stage history, of the captures (each dated at the prospect's capture). */
    private void recordCaptured(Map<Long, Instant> capturedAt, String cause) {
        if (capturedAt.isEmpty()) {
            return;
        }
        events.publishEvent(new ProspectsCaptured(capturedAt, cause));
    }

    private Long accountFor(String email, String company, Instant now) {
        String domain = email.substring(email.indexOf('@') + 1);
        if (FreeMailDomains.contains(domain)) {
            return null;
        }
        jdbc.sql(
                        "INSERT INTO account (name, domain, created_at) VALUES (:name, :domain, :now) ON CONFLICT (domain) DO NOTHING")
                .param("name", company != null ? company : domain)
                .param("domain", domain)
                .param("now", Timestamp.from(now))
                .update();
        return jdbc.sql("SELECT id FROM account WHERE domain = :domain")
                .param("domain", domain)
                .query(Long.class)
                .single();
    }

    /** Account ids by email for company domains, creating missing accounts; free-mail emails map to nothing. */
    private Map<String, Long> accountsFor(List<String> emails, Instant at) {
        TreeSet<String> domains = new TreeSet<>();
        for (String email : emails) {
            String domain = email.substring(email.indexOf('@') + 1);
            if (!FreeMailDomains.contains(domain)) {
                domains.add(domain);
            }
        }
        Map<String, Long> byDomain = new HashMap<>();
        if (!domains.isEmpty()) {
            String[] d = domains.toArray(String[]::new);
            jdbc.sql("""
                            INSERT INTO account (name, domain, created_at)
                            SELECT d, d, :at FROM unnest(CAST(:domains AS text[])) AS t(d)
                            ON CONFLICT (domain) DO NOTHING""").param("domains", d).param("at", Timestamp.from(at)).update();
            jdbc.sql("SELECT id, domain FROM account WHERE domain = ANY(:domains)")
                    .param("domains", d)
                    .query((rs, n) -> byDomain.put(rs.getString(2), rs.getLong(1)))
                    .list();
        }
        Map<String, Long> byEmail = new HashMap<>();
        for (String email : emails) {
            byEmail.put(email, byDomain.get(email.substring(email.indexOf('@') + 1)));
        }
        return byEmail;
    }

    /**
     * The fields that hold a value for this prospect: standard fields by JSON name (blank text counts as empty) and
     * custom fields by name; empty for an unknown prospect. Progressive profiling asks for the others.
     */
    public Set<String> filledFields(long id) {
        String standard = Arrays.stream(ProspectField.values())
                .map(f -> "(" + f.column() + " IS NOT NULL AND " + f.column() + "::text <> '') AS " + f.column())
                .collect(java.util.stream.Collectors.joining(", "));
        return jdbc.sql("SELECT " + standard + """
                        , ARRAY(SELECT key FROM jsonb_each(custom) WHERE value NOT IN ('null'::jsonb, '""'::jsonb))
                          AS custom_keys
                          FROM prospect WHERE id = :id""")
                .param("id", id)
                .query((rs, n) -> {
                    Set<String> filled = new java.util.LinkedHashSet<>();
                    for (ProspectField f : ProspectField.values()) {
                        if (rs.getBoolean(f.column())) {
                            filled.add(f.json());
                        }
                    }
                    filled.addAll(List.of((String[]) rs.getArray("custom_keys").getArray()));
                    return filled;
                })
                .optional()
                .orElse(Set.of());
    }

    public Map<String, CustomField> customFields() {
        Map<String, CustomField> fields = new LinkedHashMap<>();
        jdbc.sql("SELECT id, name, label, type, options FROM custom_field ORDER BY name")
                .query((rs, n) -> fields.put(
                        rs.getString(2),
                        new CustomField(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                CustomFieldType.valueOf(rs.getString(4)),
                                List.of((String[]) rs.getArray(5).getArray()))))
                .list();
        return fields;
    }

    ProspectView view(ResultSet rs, int row) throws SQLException {
        return new ProspectView(
                rs.getLong("id"),
                rs.getString("email"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("company"),
                rs.getString("job_title"),
                rs.getString("department"),
                rs.getString("industry"),
                (Integer) rs.getObject("employees"),
                rs.getString("country"),
                rs.getString("phone"),
                rs.getString("website"),
                rs.getString("source"),
                json.readValue(rs.getString("custom"), MAP),
                (Long) rs.getObject("account_id"),
                (Long) rs.getObject("campaign_id"),
                (Long) rs.getObject("owner_id"),
                rs.getInt("score"),
                rs.getString("grade"),
                rs.getString("stage"),
                rs.getBoolean("opted_out"),
                rs.getBoolean("hard_bounced"),
                rs.getBoolean("do_not_email"),
                instant(rs, "last_activity_at"),
                instant(rs, "captured_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                0,
                0,
                null);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("p:" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor points after, or an error for a cursor we did not issue. */
    static Long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("p:")) {
                return Long.parseLong(decoded.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw dev.kindling.platform.web.InvalidInputException.of("cursor", "is not a cursor this API issued");
    }
}
