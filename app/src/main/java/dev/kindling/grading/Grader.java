package dev.kindling.grading;

import dev.kindling.engine.grading.CriterionResult;
import dev.kindling.engine.grading.FitFacts;
import dev.kindling.engine.grading.GradedFit;
import dev.kindling.prospects.ProspectRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Grades prospects: loads the fit facts of a set of prospects in one query (locking their rows in
 * id order), lets the engine assign a profile and grade each in memory, and writes the grades that
 * changed in one batched write, then appends the grades that changed to {@code grade_history}. Re-grading many prospects (a
 * profile was edited) walks them in keyset
 * pages of {@value #PAGE} ids, one transaction per page, so intake is never blocked for long.
 */
@Component
class Grader {

    static final int PAGE = 5_000;
    private static final Logger log = LoggerFactory.getLogger(Grader.class);

    /** Which prospects a re-grade walks. */
    enum Scope {
        /** Prospects graded by the given profiles. */
        PROFILES,
        /** Every prospect (assignment rules changed: anyone may move). */
        ALL,
        /** Prospects with no profile yet (written before grading existed, or their profile was deleted). */
        UNGRADED
    }

    /** What a re-grade did: prospects evaluated, grades or explanations changed, time taken. */
    record Regraded(long prospects, long changed, long millis) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final GradingProfiles profiles;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final java.time.Clock clock;

    private final ProspectRows prospectRows;

    Grader(
            JdbcClient jdbc,
            JsonMapper json,
            GradingProfiles profiles,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            java.time.Clock clock,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.events = events;
        this.clock = clock;
        this.jdbc = jdbc;
        this.json = json;
        this.profiles = profiles;
        this.transactions = transactions;
    }

    /** Grades these prospects in the caller's transaction; returns how many changed. */
    int grade(Collection<Long> prospectIds) {
        if (prospectIds.isEmpty()) {
            return 0;
        }
        // before the default profile is installed at start-up nothing is graded; the start-up sweep does it
        return profiles.setup().map(setup -> grade(prospectIds, setup)).orElse(0);
    }

    /** Re-grades every prospect in the scope, page by page; {@code profileIds} is for {@link Scope#PROFILES}. */
    Regraded regrade(Scope scope, Collection<Long> profileIds) {
        long started = System.nanoTime();
        GradingSetup setup = profiles.setup().orElse(null);
        if (setup == null) {
            return new Regraded(0, 0, 0);
        }
        Long[] ids = profileIds.toArray(Long[]::new);
        long after = 0;
        long seen = 0;
        long changed = 0;
        while (true) {
            var statement = jdbc.sql("SELECT id FROM prospect WHERE id > :after"
                            + switch (scope) {
                                case PROFILES -> " AND grading_profile_id = ANY(:profiles)";
                                case ALL -> "";
                                case UNGRADED -> " AND grading_profile_id IS NULL";
                            }
                            + " ORDER BY id LIMIT :limit")
                    .param("after", after)
                    .param("limit", PAGE);
            if (scope == Scope.PROFILES) {
                statement = statement.param("profiles", ids);
            }
            List<Long> page = statement.query(Long.class).list();
            if (page.isEmpty()) {
                break;
            }
            Integer n = transactions.execute(tx -> grade(page, setup));
            changed += n == null ? 0 : n;
            seen += page.size();
            after = page.getLast();
            if (page.size() < PAGE) {
                break;
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (seen > 0) {
            log.info("Grading: re-graded {} prospects ({} scope), {} changed, in {} ms", seen, scope, changed, millis);
        }
        return new Regraded(seen, changed, millis);
    }

    private int grade(Collection<Long> prospectIds, GradingSetup setup) {
        Map<Long, FitFacts> facts = load(prospectIds);
        int n = facts.size();
        Long[] ids = new Long[n];
        String[] grades = new String[n];
        Long[] profileIds = new Long[n];
        String[] explanations = new String[n];
        int i = 0;
        for (Map.Entry<Long, FitFacts> e : facts.entrySet()) {
            long profileId = setup.assignment().profileFor(e.getValue());
            GradedFit fit = setup.profile(profileId).grade(e.getValue());
            ids[i] = e.getKey();
            grades[i] = fit.grade().display();
            profileIds[i] = fit.profileId();
            explanations[i] = json.writeValueAsString(explanation(fit.explanation()));
            i++;
        }
        if (n == 0) {
            return 0;
        }
        List<ProspectRows.GradeWrite> written = prospectRows.writeGrades(ids, grades, profileIds, explanations);
        List<Long> changed = written.stream().map(ProspectRows.GradeWrite::id).toList();
        List<ProspectRows.GradeWrite> moved =
                written.stream().filter(ProspectRows.GradeWrite::gradeChanged).toList();
        if (!moved.isEmpty()) {
            jdbc.sql("""
                            INSERT INTO grade_history (prospect_id, at, grade)
                            SELECT u.id, :at, u.grade FROM unnest(CAST(:ids AS bigint[]), CAST(:grades AS text[])) AS u(id, grade)""")
                    .param(
                            "ids",
                            moved.stream().map(ProspectRows.GradeWrite::id).toArray(Long[]::new))
                    .param(
                            "grades",
                            moved.stream().map(ProspectRows.GradeWrite::grade).toArray(String[]::new))
                    .param("at", java.sql.Timestamp.from(clock.instant()))
                    .update();
        }
        if (!changed.isEmpty()) {
            events.publishEvent(new GradesChanged(new java.util.HashSet<>(changed)));
        }
        return changed.size();
    }

    /**
     * The fit facts of these prospects, sorted by id, their rows locked in that order — {@code FOR NO KEY UPDATE}:
     * grading writes the grade columns only, so an insert merely referencing the prospect (an activity attributed at
     * accept) need not wait for the transaction, which may be an intake batch whose rules set a field.
     */
    private Map<Long, FitFacts> load(Collection<Long> prospectIds) {
        return load(prospectIds, true, null);
    }

    /** The fit facts of these prospects by id; their stored grades into {@code grades} when given. */
    private Map<Long, FitFacts> load(Collection<Long> prospectIds, boolean lock, Map<Long, String> grades) {
        Map<Long, FitFacts> facts = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT p.id, p.grade, p.job_title, p.department, p.company, p.source,
                               p.industry, p.country, p.employees,
                               coalesce(nullif(btrim(p.industry), ''), a.industry) AS industry_or_account,
                               coalesce(nullif(btrim(p.country), ''), a.country) AS country_or_account,
                               coalesce(p.employees, a.employees) AS employees_or_account,
                               split_part(p.email, '@', 2) AS email_domain,
                               a.name AS account_name, a.industry AS account_industry,
                               a.employees AS account_employees, a.country AS account_country, a.tier AS account_tier
                          FROM prospect p LEFT JOIN account a ON a.id = p.account_id
                         WHERE p.id = ANY(:ids)
                         ORDER BY p.id""" + (lock ? " FOR NO KEY UPDATE OF p" : ""))
                .param("ids", prospectIds.stream().sorted().distinct().toArray(Long[]::new))
                .query((rs, row) -> {
                    if (grades != null) {
                        grades.put(rs.getLong("id"), rs.getString("grade"));
                    }
                    return facts.put(rs.getLong("id"), facts(rs));
                })
                .list();
        return facts;
    }

    /** How many prospects a candidate profile would move from one grade to another ("from→to" → count). */
    record Moves(long prospects, Map<String, Long> moves) {}

    /**
     * What grading the prospects of profile {@code profileId} with {@code candidate} instead would change: each
     * prospect's stored grade against the candidate's, page by page, reading only. Stores nothing.
     */
    Moves preview(long profileId, dev.kindling.engine.grading.GradingProfile candidate) {
        long after = 0;
        long seen = 0;
        Map<String, Long> moves = new java.util.TreeMap<>();
        while (true) {
            List<Long> page = jdbc.sql("""
                            SELECT id FROM prospect WHERE id > :after AND grading_profile_id = :profile
                             ORDER BY id LIMIT :limit""")
                    .param("after", after)
                    .param("profile", profileId)
                    .param("limit", PAGE)
                    .query(Long.class)
                    .list();
            if (page.isEmpty()) {
                break;
            }
            Map<Long, String> stored = new java.util.HashMap<>();
            for (Map.Entry<Long, FitFacts> e : load(page, false, stored).entrySet()) {
                String now = stored.get(e.getKey());
                String then = candidate.grade(e.getValue()).grade().display();
                if (!then.equals(now)) {
                    moves.merge((now == null ? "(ungraded)" : now) + "→" + then, 1L, Long::sum);
                }
            }
            seen += page.size();
            after = page.getLast();
            if (page.size() < PAGE) {
                break;
            }
        }
        return new Moves(seen, moves);
    }

    /** The fit facts of one row, by the condition language's field names ({@link FitFacts#FIELDS}). */
    private static FitFacts facts(ResultSet rs) throws SQLException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("jobTitle", rs.getString("job_title"));
        v.put("department", rs.getString("department"));
        v.put("company", rs.getString("company"));
        v.put("source", rs.getString("source"));
        v.put("industry", rs.getString("industry"));
        v.put("country", rs.getString("country"));
        v.put("employees", number(rs, "employees"));
        v.put("industryOrAccount", rs.getString("industry_or_account"));
        v.put("countryOrAccount", rs.getString("country_or_account"));
        v.put("employeesOrAccount", number(rs, "employees_or_account"));
        v.put("emailDomain", rs.getString("email_domain"));
        v.put("account.name", rs.getString("account_name"));
        v.put("account.industry", rs.getString("account_industry"));
        v.put("account.employees", number(rs, "account_employees"));
        v.put("account.country", rs.getString("account_country"));
        v.put("account.tier", rs.getString("account_tier"));
        return FitFacts.of(v);
    }

    /** The fit facts of these prospects by id, read without locking: what grading them now would see. */
    Map<Long, FitFacts> facts(Collection<Long> prospectIds) {
        return load(prospectIds, false, null);
    }

    private static Long number(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The stored form of an explanation: one object per active criterion, in profile order. */
    static List<Map<String, Object>> explanation(List<CriterionResult> results) {
        List<Map<String, Object>> out = new ArrayList<>(results.size());
        for (CriterionResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("criterionId", r.criterionId());
            m.put("label", r.label());
            m.put("field", r.field());
            m.put("outcome", r.outcome().name());
            m.put("seen", r.seen());
            m.put("weight", r.weight());
            m.put("effect", r.effect());
            out.add(m);
        }
        return out;
    }
}
