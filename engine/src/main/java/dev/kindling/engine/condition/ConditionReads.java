package dev.kindling.engine.condition;

import dev.kindling.engine.activity.ActivityType;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What of a prospect a condition reads — or, used the other way round, what changed of a prospect: the relevance
 * index of the event path. A condition whose reads do not {@link #intersects intersect} what changed gives the same
 * answer as before the change (at the same instant: the clock is the one input this does not name; the caller
 * keeps the previous answer only while its next flip has not come). {@link #ALL} stands for "anything" (a change
 * nobody described, or a reader that depends on every change).
 *
 * @param everything      reads (or changed) anything at all
 * @param facts           the prospect's own facts read beyond fields, lists and activities
 * @param fields          the field names read (standard, {@code account.…} and {@code custom.…})
 * @param anyField        reads (or changed) every field
 * @param lists           the list ids whose membership is read
 * @param anyList         reads (or changed) the membership of every list
 * @param activityTypes   the activity types counted
 * @param anyActivityType counts (or changed) activities of every type
 */
public record ConditionReads(
        boolean everything,
        Set<Fact> facts,
        Set<String> fields,
        boolean anyField,
        Set<Long> lists,
        boolean anyList,
        Set<ActivityType> activityTypes,
        boolean anyActivityType) {

    /** The prospect's facts a condition reads besides fields, list memberships and activities. */
    public enum Fact {
        SCORE,
        GRADE,
        STAGE,
        OWNER,
        LAST_ACTIVITY,
        OPPORTUNITIES,
        PROGRAMS
    }

    /** Reads (or changed) nothing. */
    public static final ConditionReads NONE =
            new ConditionReads(false, Set.of(), Set.of(), false, Set.of(), false, Set.of(), false);

    /** Reads (or changed) anything. */
    public static final ConditionReads ALL =
            new ConditionReads(true, Set.of(), Set.of(), false, Set.of(), false, Set.of(), false);

    public ConditionReads {
        facts = facts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(facts));
        fields = Set.copyOf(fields);
        lists = Set.copyOf(lists);
        activityTypes = activityTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(activityTypes));
    }

    /** These facts. */
    public static ConditionReads of(Fact... facts) {
        return new ConditionReads(false, Set.of(facts), Set.of(), false, Set.of(), false, Set.of(), false);
    }

    /** These fields. */
    public static ConditionReads fields(Collection<String> names) {
        return new ConditionReads(false, Set.of(), Set.copyOf(names), false, Set.of(), false, Set.of(), false);
    }

    /** Every field. */
    public static ConditionReads everyField() {
        return new ConditionReads(false, Set.of(), Set.of(), true, Set.of(), false, Set.of(), false);
    }

    /** The membership of these lists. */
    public static ConditionReads lists(Collection<Long> ids) {
        return new ConditionReads(false, Set.of(), Set.of(), false, Set.copyOf(ids), false, Set.of(), false);
    }

    /** The membership of every list. */
    public static ConditionReads everyList() {
        return new ConditionReads(false, Set.of(), Set.of(), false, Set.of(), true, Set.of(), false);
    }

    /** Activities of these types. */
    public static ConditionReads activities(Collection<ActivityType> types) {
        return new ConditionReads(false, Set.of(), Set.of(), false, Set.of(), false, Set.copyOf(types), false);
    }

    /** Activities of every type. */
    public static ConditionReads everyActivity() {
        return new ConditionReads(false, Set.of(), Set.of(), false, Set.of(), false, Set.of(), true);
    }

    /** Whether this reads (or changed) nothing. */
    public boolean isEmpty() {
        return !everything
                && facts.isEmpty()
                && fields.isEmpty()
                && !anyField
                && lists.isEmpty()
                && !anyList
                && activityTypes.isEmpty()
                && !anyActivityType;
    }

    /** Both together. */
    public ConditionReads plus(ConditionReads other) {
        if (everything || other.isEmpty()) {
            return this;
        }
        if (other.everything || isEmpty()) {
            return other;
        }
        Set<Fact> f = EnumSet.noneOf(Fact.class);
        f.addAll(facts);
        f.addAll(other.facts);
        Set<String> names = new HashSet<>(fields);
        names.addAll(other.fields);
        Set<Long> ids = new HashSet<>(lists);
        ids.addAll(other.lists);
        Set<ActivityType> types = EnumSet.noneOf(ActivityType.class);
        types.addAll(activityTypes);
        types.addAll(other.activityTypes);
        boolean anyType = anyActivityType || other.anyActivityType;
        return new ConditionReads(
                false,
                f,
                names,
                anyField || other.anyField,
                ids,
                anyList || other.anyList,
                anyType ? Set.of() : types,
                anyType);
    }

    /**
     * Whether something read here is something changed there (symmetric): {@code false} only when they are
     * provably disjoint.
     */
    public boolean intersects(ConditionReads other) {
        if (isEmpty() || other.isEmpty()) {
            return false;
        }
        if (everything || other.everything) {
            return true;
        }
        for (Fact f : facts) {
            if (other.facts.contains(f)) {
                return true;
            }
        }
        if ((anyField && (other.anyField || !other.fields.isEmpty()))
                || (other.anyField && !fields.isEmpty())
                || overlap(fields, other.fields)) {
            return true;
        }
        if ((anyList && (other.anyList || !other.lists.isEmpty()))
                || (other.anyList && !lists.isEmpty())
                || overlap(lists, other.lists)) {
            return true;
        }
        return (anyActivityType && (other.anyActivityType || !other.activityTypes.isEmpty()))
                || (other.anyActivityType && !activityTypes.isEmpty())
                || overlap(activityTypes, other.activityTypes);
    }

    private static <T> boolean overlap(Set<T> a, Set<T> b) {
        Set<T> small = a.size() <= b.size() ? a : b;
        Set<T> large = small == a ? b : a;
        for (T t : small) {
            if (large.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** What {@code condition} reads, fields as themselves. */
    public static ConditionReads of(Condition condition) {
        return of(condition, name -> NONE);
    }

    /**
     * What {@code condition} reads; {@code derived} answers, for a field, the other facts its value is computed
     * from besides itself (a count of the account's prospects whose score is above a threshold reads the score).
     */
    public static ConditionReads of(Condition condition, Function<String, ConditionReads> derived) {
        return switch (condition) {
            case Condition.All all -> of(all.conditions(), derived);
            case Condition.Any any -> of(any.conditions(), derived);
            case Condition.Not not -> of(not.condition(), derived);
            case Condition.FieldCondition field -> fields(Set.of(field.field())).plus(derived.apply(field.field()));
            case Condition.ScoreCondition score -> of(Fact.SCORE);
            case Condition.GradeCondition grade -> of(Fact.GRADE);
            case Condition.StageCondition stage -> of(Fact.STAGE);
            // fit × interest: the grade and the score, through thresholds no prospect's change moves
            case Condition.QuadrantCondition quadrant -> of(Fact.GRADE, Fact.SCORE);
            case Condition.OwnerCondition owner -> of(Fact.OWNER);
            case Condition.ListMembership list -> lists(Set.of(list.listId()));
            case Condition.ActivityCondition activity ->
                activity.type() == null ? everyActivity() : activities(Set.of(activity.type()));
            case Condition.DaysSinceLastActivity days -> of(Fact.LAST_ACTIVITY);
            case Condition.OpportunityCondition opportunity -> of(Fact.OPPORTUNITIES);
            case Condition.ProgramState program -> of(Fact.PROGRAMS);
        };
    }

    /** What all these conditions read together. */
    public static ConditionReads of(Collection<Condition> conditions, Function<String, ConditionReads> derived) {
        ConditionReads reads = NONE;
        for (Condition c : conditions) {
            reads = reads.plus(of(c, derived));
        }
        return reads;
    }
}
