package dev.kindling.conditions;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What of a prospect a set of conditions can look at beyond its row, so {@link ProspectFactsLoader} loads no
 * more: the activity types counted (or every type), how far back for each type (the longest {@code withinDays}
 * of the leaves counting it, or all history when one of them has no window), and whether list memberships
 * and opportunities matter. A prospect with thousands of page views loads none of them when no condition counts page views, and
 * only the recent ones when every leaf counting page views has a window — even if another leaf counts
 * unsubscribes over all history.
 *
 * @param activityTypes the activity types some leaf counts (ignored when {@code anyActivityType})
 * @param anyActivityType some leaf counts activities of every type
 * @param activityDays  the longest window in days of the counting leaves, or {@code null} for all history
 *                      (meaningless when no leaf counts activities)
 * @param lists         some leaf tests list membership
 * @param boundedDays   per counted type whose every counting leaf has a window, the longest of those windows
 *                      in days; a counted type absent here is needed over all history
 * @param opportunities some leaf tests the prospect's opportunities
 * @param accountCounts some leaf reads a field that counts the prospects of the account
 *                      ({@link ConditionFields#countsAccountProspects}): a correlated count per prospect, computed only
 *                      when asked for
 */
public record ConditionNeeds(
        Set<ActivityType> activityTypes,
        boolean anyActivityType,
        Long activityDays,
        boolean lists,
        Map<ActivityType, Long> boundedDays,
        boolean opportunities,
        boolean accountCounts) {

    /** Needs nothing beyond the prospect's row. */
    public static final ConditionNeeds NONE = new ConditionNeeds(Set.of(), false, 0L, false, Map.of(), false, false);

    /** List memberships only (what watchers of list changes read). */
    public static final ConditionNeeds LISTS = new ConditionNeeds(Set.of(), false, 0L, true, Map.of(), false, false);

    /** Everything: every activity of every type, list memberships, opportunities and the account's counts. */
    public static final ConditionNeeds ALL = new ConditionNeeds(Set.of(), true, null, true, Map.of(), true, true);

    public ConditionNeeds {
        activityTypes = activityTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(activityTypes));
        boundedDays = Map.copyOf(boundedDays);
    }

    /** Whether any leaf counts activities. */
    public boolean activities() {
        return anyActivityType || !activityTypes.isEmpty();
    }

    /** Whether some leaf counts activities of this type. */
    public boolean counts(ActivityType type) {
        return anyActivityType || activityTypes.contains(type);
    }

    /**
     * How many days back activities of this counted type are needed: the longest window of the leaves counting
     * it, or {@code null} for all history.
     */
    public Long windowDays(ActivityType type) {
        return boundedDays.get(type);
    }

    /** The needs of all these conditions together. */
    public static ConditionNeeds of(Collection<Condition> conditions) {
        ConditionNeeds needs = NONE;
        for (Condition condition : conditions) {
            needs = needs.plus(of(condition));
        }
        return needs;
    }

    /** The needs of one condition. */
    public static ConditionNeeds of(Condition condition) {
        return switch (condition) {
            case All all -> of(all.conditions());
            case Any any -> of(any.conditions());
            case Not not -> of(not.condition());
            case ListMembership list -> LISTS;
            case OpportunityCondition opportunity ->
                new ConditionNeeds(Set.of(), false, 0L, false, Map.of(), true, false);
            case FieldCondition field ->
                ConditionFields.countsAccountProspects(field.field())
                        ? new ConditionNeeds(Set.of(), false, 0L, false, Map.of(), false, true)
                        : NONE;
            case ActivityCondition activity -> {
                Map<ActivityType, Long> bounded = new EnumMap<>(ActivityType.class);
                if (activity.withinDays() != null) {
                    for (ActivityType type :
                            activity.type() == null ? EnumSet.allOf(ActivityType.class) : EnumSet.of(activity.type())) {
                        bounded.put(type, activity.withinDays());
                    }
                }
                yield new ConditionNeeds(
                        activity.type() == null ? Set.of() : Set.of(activity.type()),
                        activity.type() == null,
                        activity.withinDays(),
                        false,
                        bounded,
                        false,
                        false);
            }
            default -> NONE;
        };
    }

    /** Both needs together. */
    public ConditionNeeds plus(ConditionNeeds other) {
        if (!other.activities() && !other.lists && !other.opportunities && !other.accountCounts) {
            return this;
        }
        if (!activities() && !lists && !opportunities && !accountCounts) {
            return other;
        }
        Set<ActivityType> types = EnumSet.noneOf(ActivityType.class);
        types.addAll(activityTypes);
        types.addAll(other.activityTypes);
        Long days;
        if (!activities()) {
            days = other.activityDays;
        } else if (!other.activities()) {
            days = activityDays;
        } else {
            days = activityDays == null || other.activityDays == null
                    ? null
                    : Math.max(activityDays, other.activityDays);
        }
        Map<ActivityType, Long> bounded = new EnumMap<>(ActivityType.class);
        for (ActivityType type : ActivityType.values()) {
            boolean here = counts(type);
            boolean there = other.counts(type);
            Long mine = windowDays(type);
            Long theirs = other.windowDays(type);
            if (here && there) {
                if (mine != null && theirs != null) {
                    bounded.put(type, Math.max(mine, theirs));
                }
            } else if (here && mine != null) {
                bounded.put(type, mine);
            } else if (there && theirs != null) {
                bounded.put(type, theirs);
            }
        }
        return new ConditionNeeds(
                types,
                anyActivityType || other.anyActivityType,
                days,
                lists || other.lists,
                bounded,
                opportunities || other.opportunities,
                accountCounts || other.accountCounts);
    }
}
