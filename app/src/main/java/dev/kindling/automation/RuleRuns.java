package dev.kindling.automation;

import dev.kindling.conditions.ConditionSql;
import dev.kindling.platform.database.ConflictRetry;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What people do with a rule beyond editing it: preview who matches, resume (ACTIVE, then applied retroactively to
 * every matching eligible prospect, set-based, in keyset pages of {@value #PAGE}, one transaction each), pause, and
 * read the match history.
 */
@Component
class RuleRuns {

    private static final Logger log = LoggerFactory.getLogger(RuleRuns.class);
    /**
     * Prospects per retroactive page (one transaction). Each page costs some fifteen round trips whatever its size
     * (the rule, the selection, claim, lock, score, ledger, history, then the watchers' facts and checks): at 1,000 they
     * were most of W3's time on a loaded machine. 5,000 keeps a page's row locks to about a second.
     */
    static final int PAGE = 5_000;

    static final int SAMPLE = 20;

    private final AutomationRules rules;
    private final RuleMatching matching;
    private final ActionJson actionJson;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;

    RuleRuns(
            AutomationRules rules,
            RuleMatching matching,
            ActionJson actionJson,
            JdbcClient jdbc,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.rules = rules;
        this.matching = matching;
        this.actionJson = actionJson;
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** A prospect as shown in a preview or the match history. */
    record ProspectRow(
            long id,
            String email,
            String firstName,
            String lastName,
            String company,
            int score,
            String grade,
            String stage) {}

    /** Who meets the condition now, how many of them the rule would match if resumed now, and the first ones. */
    record Preview(long count, long eligible, List<ProspectRow> sample) {}

    Preview preview(long id) {
        AutomationRule rule = rules.get(id);
        Instant now = clock.instant();
        ConditionSql.Compiled c = matching.compiled(rule, now);
        Map<String, Object> params = new HashMap<>(c.params());
        String eligible = RuleMatching.eligibleSql(rule, params, now);
        long[] counts = jdbc.sql("SELECT count(*), count(*) FILTER (WHERE " + eligible + ") FROM " + ConditionSql.FROM
                        + " WHERE " + c.sql())
                .params(params)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
        List<ProspectRow> sample = jdbc.sql("SELECT " + ROW + " FROM " + ConditionSql.FROM + " WHERE " + c.sql()
                        + " ORDER BY p.id LIMIT " + SAMPLE)
                .params(c.params())
                .query((rs, n) -> row(rs))
                .list();
        return new Preview(counts[0], counts[1], sample);
    }

    static final String ROW = "p.id, p.email, p.first_name, p.last_name, p.company, p.score, p.grade, p.stage";

    static ProspectRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ProspectRow(
                rs.getLong("id"),
                rs.getString("email"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("company"),
                rs.getInt("score"),
                rs.getString("grade"),
                rs.getString("stage"));
    }

    /** The outcome of a resume: how many prospects the retroactive run matched. */
    record Resumed(long ruleId, String status, long matched) {}

    /**
     * Activates the rule and applies it to every prospect that meets its condition and is eligible now. A rule whose
     * condition or actions name something deleted since (a list, a custom field) is refused with 409 and stays
     * paused. Resuming an active rule runs the retroactive pass again (only eligible prospects match).
     */
    Resumed resume(long id) {
        AutomationRule rule = tx.execute(status -> {
            AutomationRule r = jdbc.sql("SELECT id FROM automation_rule WHERE id = :id FOR UPDATE")
                    .param("id", id)
                    .query(Long.class)
                    .optional()
                    .map(x -> rules.get(id))
                    .orElseThrow(() -> new dev.kindling.platform.web.NotFoundException("No automation rule " + id));
            check(r);
            rules.setStatus(id, AutomationRule.Status.ACTIVE);
            return rules.get(id);
        });
        long matched = 0;
        long after = 0;
        while (true) {
            long from = after;
            // a page locks up to PAGE prospect rows; a deadlock with the intake or a sweep rolls it back whole: taken
            // again
            PageResult page =
                    ConflictRetry.inTransaction(tx, "retroactive page of rule " + id, () -> page(rule.id(), from));
            matched += page.matched();
            if (page.last() == null) {
                break;
            }
            after = page.last();
        }
        log.info("Automation rule {} resumed: {} prospects matched retroactively", id, matched);
        return new Resumed(id, "ACTIVE", matched);
    }

    private record PageResult(Long last, int matched) {}

    /** One keyset page of the retroactive run; stops (no last id) when the rule was paused or deleted meanwhile. */
    private PageResult page(long ruleId, long after) {
        AutomationRule rule = rules.find(ruleId).orElse(null);
        if (rule == null || rule.status() != AutomationRule.Status.ACTIVE) {
            return new PageResult(null, 0);
        }
        Instant now = clock.instant();
        ConditionSql.Compiled c = matching.compiled(rule, now);
        Map<String, Object> params = new HashMap<>(c.params());
        String eligible = RuleMatching.eligibleSql(rule, params, now);
        params.put("after", after);
        params.put("limit", PAGE);
        List<Long> page = jdbc.sql("SELECT p.id FROM " + ConditionSql.FROM + " WHERE p.id > :after AND (" + c.sql()
                        + ") AND " + eligible + " ORDER BY p.id LIMIT :limit")
                .params(params)
                .query(Long.class)
                .list();
        if (page.isEmpty()) {
            return new PageResult(null, 0);
        }
        int n = matching.match(rule, page, now, RuleMatching.Source.RETROACTIVE).size();
        return new PageResult(page.size() < PAGE ? null : page.getLast(), n);
    }

    /** Refuses (409) a rule that names something deleted since it was saved. */
    private void check(AutomationRule rule) {
        List<FieldError> errors = new ArrayList<>();
        var condition = matching.condition(rule);
        if (condition == null) {
            errors.add(new FieldError("condition", "no longer parses (a custom field it uses was deleted?)"));
        } else {
            for (long listId : RuleInput.lists(condition)) {
                if (!rules.listExists(listId)) {
                    errors.add(new FieldError("condition", "names list " + listId + ", which was deleted"));
                }
            }
        }
        actionJson.parse(
                ActionJson.write(rule.actions()).stream()
                        .map(m -> (Object) new java.util.LinkedHashMap<>(m)
                                .entrySet().stream()
                                        .collect(
                                                java.util.LinkedHashMap::new,
                                                (x, e) -> x.put(
                                                        e.getKey(),
                                                        e.getValue() instanceof Integer i
                                                                ? (Object) (long) i
                                                                : e.getValue()),
                                                java.util.Map::putAll))
                        .toList(),
                "actions",
                errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(
                    org.springframework.http.HttpStatus.CONFLICT,
                    "The rule names something that no longer exists: edit it before resuming",
                    errors);
        }
    }

    void pause(long id) {
        tx.executeWithoutResult(status -> {
            rules.get(id);
            rules.setStatus(id, AutomationRule.Status.PAUSED);
        });
    }

    /** One match in the history. */
    record MatchView(long id, long prospectId, String email, Instant at, String source, int depth, String actions) {}

    record Matches(List<MatchView> items, Long nextBefore) {}

    Matches matches(long id, Long before, int limit) {
        rules.get(id);
        List<MatchView> items = jdbc.sql("""
                        SELECT m.id, m.prospect_id, p.email, m.at, m.source, m.depth, m.actions
                          FROM automation_match m JOIN prospect p ON p.id = m.prospect_id
                         WHERE m.rule_id = :rule AND m.id < :before
                         ORDER BY m.id DESC
                         LIMIT :limit""")
                .param("rule", id)
                .param("before", before == null ? Long.MAX_VALUE : before)
                .param("limit", limit + 1)
                .query((rs, n) -> new MatchView(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7)))
                .list();
        Long next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = items.getLast().id();
        }
        return new Matches(List.copyOf(items), next);
    }
}
