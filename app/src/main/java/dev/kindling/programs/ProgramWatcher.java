package dev.kindling.programs;

import dev.kindling.conditions.ConditionWatcher;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionReads;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.ReEntry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The event path of programs, riding on {@code ConditionWatchers}: whenever prospects change in a transaction (an
 * intake batch processed their activities, they joined or left a list, a score or field moved) they are handed here
 * before the commit, in batch. Prospects that now belong to a running program's recipient lists enroll, and the
 * open enrollments of all of them are advanced at once: a trigger "up to N days" moves on within the processing of
 * the activity, leaving the recipients pauses an enrollment and coming back resumes it. The enrollments are read
 * without a lock and only those that move are locked ({@link ProgramAdvancer#advanceChanging}); rows a sweep holds
 * are skipped (the sweep is advancing them), so the intake never waits on a sweep.
 *
 * <p>The watched condition (membership of a list that cannot exist) is there while some program is not a draft, only
 * so that the watchers call {@link #apply} with the prospects that changed, list changes included (the lists tell
 * the watchers of membership changes only when a watched condition reads memberships); without programs it watches
 * nothing and costs nothing.
 */
@Component
class ProgramWatcher implements ConditionWatcher {

    private static final Condition ALWAYS = new Condition.ListMembership(0L);
    private final JdbcClient jdbc;
    private final Enrollments enrollments;
    private final EnrollmentRows rows;
    private final ProgramAdvancer advancer;
    private final ProspectFactsLoader loader;
    private final Programs programs;

    ProgramWatcher(
            JdbcClient jdbc,
            Enrollments enrollments,
            EnrollmentRows rows,
            ProgramAdvancer advancer,
            ProspectFactsLoader loader,
            Programs programs) {
        this.programs = programs;
        this.jdbc = jdbc;
        this.enrollments = enrollments;
        this.rows = rows;
        this.advancer = advancer;
        this.loader = loader;
    }

    @Override
    public Map<Long, Condition> watched() {
        boolean any = jdbc.sql("SELECT EXISTS (SELECT 1 FROM program WHERE status <> 'DRAFT')")
                .query(Boolean.class)
                .single();
        return any ? Map.of(0L, ALWAYS) : Map.of();
    }

    /**
     * What can move a prospect's enrollments once they were advanced as far as they go: the memberships of the
     * programs' recipient and suppression lists (entry, pausing and resuming; those of every version, since an open
     * enrollment stands on the version it entered) and activities (triggers). Rule steps are passed on the spot and
     * waits are the sweep's, so a score or field change alone moves nothing, and neither does joining or leaving a
     * list no program names. A running program that admits again after completion enrolls anew at any later
     * evaluation: then every change counts.
     */
    @Override
    public ConditionReads dependsOn(long key) {
        if (enrollments.runningDefinitions().stream().anyMatch(d -> d.reEntry() == ReEntry.AFTER_COMPLETION)) {
            return ConditionReads.ALL;
        }
        return moving();
    }

    /** What can move an open enrollment: the memberships of the lists every program version names, and activities. */
    private ConditionReads moving() {
        Set<Long> lists = new java.util.HashSet<>();
        programs.everyVersion().forEach(d -> {
            lists.addAll(d.recipientListIds());
            lists.addAll(d.suppressionListIds());
        });
        return ConditionReads.lists(lists).plus(ConditionReads.everyActivity());
    }

    @Override
    public void apply(Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now) {
        apply(evaluated, matching, now, Map.of());
    }

    /**
     * Enrolls the evaluated prospects that are now recipients, then advances the open enrollments of those that
     * enrolled here or whose change can move an enrollment: a change of the memberships of the programs' recipient
     * or suppression lists (every version's) or of activities ({@link #dependsOn}'s reasons). A change of anything
     * else — the score a program step or a rule adjusted — moves no open enrollment (rule steps are passed on the
     * spot, triggers wait for activities, waits are the sweep's), so their enrollments are not read and planned again:
     * in W5's burst with the realistic configuration, every sweep batch's +1 handed its prospects here in the settle's
     * first round, whose enrollments in the other 20 programs were all read, their facts loaded and planned for
     * nothing (docs/programs.md).
     */
    @Override
    public void apply(
            Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now, Map<Long, ConditionReads> changed) {
        apply(evaluated, matching, now, changed, null);
    }

    /**
     * {@link #apply(Set, Map, Instant, Map)}, the evaluated prospects' memberships taken from {@code lists}, those the
     * settle's facts load read in this transaction (each prospect's current ones: the watchers leave out of it a
     * prospect whose memberships changed since), and read here only for the prospects it does not hold (all of them
     * when it is null). In W5's burst with the realistic configuration every sweep batch's +1 handed its 2,000
     * prospects here, and their memberships, just loaded, were read again (docs/programs.md).
     */
    @Override
    public void apply(
            Set<Long> evaluated,
            Map<Long, Set<Long>> matching,
            Instant now,
            Map<Long, ConditionReads> changed,
            Map<Long, Set<Long>> lists) {
        if (evaluated.isEmpty() || !matching.containsKey(0L)) {
            return;
        }
        Set<Long> enrolled = Set.of();
        List<ProgramDefinition> running = enrollments.runningDefinitions().stream()
                .filter(d -> !d.recipientListIds().isEmpty())
                .toList();
        if (!running.isEmpty()) {
            // memberships alone (a prospect in no list is no program's recipient): the rows and custom fields a full
            // facts load reads as well were read here for nothing, once per evaluation (W1 in docs/benchmarks.md)
            Map<Long, Set<Long>> memberships = loader.memberships(evaluated, lists);
            Map<ProgramDefinition, Map<Long, Set<Long>>> candidates = new java.util.LinkedHashMap<>();
            for (ProgramDefinition d : running) {
                Map<Long, Set<Long>> recipients = new HashMap<>();
                memberships.forEach((id, listIds) -> {
                    if (d.isRecipient(listIds)) {
                        recipients.put(id, listIds);
                    }
                });
                candidates.put(d, recipients);
            }
            enrolled = enrollments.enrollAll(candidates);
        }
        Long[] advancing = advancing(evaluated, changed, enrolled);
        if (advancing.length == 0) {
            return;
        }
        // enrollments this transaction advanced already and nothing here can change are not read again (the sweep's
        // own +1 or list change hands its whole batch back here)
        Set<Long> settled = advancer.settledHere();
        advancer.advanceChanging(
                rows.openOf(advancing, settled == null ? new Long[0] : settled.toArray(Long[]::new)), now);
    }

    /**
     * The evaluated prospects whose open enrollments may move: those {@code enrolled} here, and those whose change
     * (absent: any) names the memberships of a list some program's version names, or activities.
     */
    private Long[] advancing(Set<Long> evaluated, Map<Long, ConditionReads> changed, Set<Long> enrolled) {
        if (changed.isEmpty()) {
            return evaluated.toArray(Long[]::new);
        }
        ConditionReads moving = moving();
        return evaluated.stream()
                .filter(id -> enrolled.contains(id)
                        || changed.getOrDefault(id, ConditionReads.ALL).intersects(moving))
                .toArray(Long[]::new);
    }
}
