package dev.kindling.conditions;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.Not;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * What of a prospect a set of conditions can look at beyond its row, so {@link ProspectFactsLoader} loads no
 * more: the activity types counted (or every type), how far back (the longest {@code withinDays}, or all
 * history when some activity leaf has no window), and whether list memberships matter. A prospect with
 * thousands of page views loads none of them when no condition counts page views.
 *
 * @param activityTypes the activity types some leaf counts (ignored when {@code anyActivityType})
 * @param anyActivityType some leaf counts activities of every type
 * @param activityDays  the longest window in days of the counting leaves, or {@code null} for all history
 *                      (meaningless when no leaf counts activities)
 * @param lists         some leaf tests list membership
 */
public record ConditionNeeds(Set<ActivityType> activityTypes, boolean anyActivityType, Long activityDays,
        boolean lists) {

    /** Needs nothing beyond the prospect's row. */
    public static final ConditionNeeds NONE = new ConditionNeeds(Set.of(), false, 0L, false);

    /** Everything: every activity of every type, and list memberships. */
    public static final ConditionNeeds ALL = new ConditionNeeds(Set.of(), true, null, true);

    public ConditionNeeds {
        activityTypes = activityTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(activityTypes));
    }

    /** Whether any leaf counts activities. */
    public boolean activities() {
        return anyActivityType || !activityTypes.isEmpty();
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
            case ListMembership list -> new ConditionNeeds(Set.of(), false, 0L, true);
            case ActivityCondition activity -> new ConditionNeeds(
                    activity.type() == null ? Set.of() : Set.of(activity.type()), activity.type() == null,
                    activity.withinDays(), false);
            default -> NONE;
        };
    }

    /** Both needs together. */
    public ConditionNeeds plus(ConditionNeeds other) {
        if (!other.activities() && !other.lists) {
            return this;
        }
        if (!activities() && !lists) {
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
            days = activityDays == null || other.activityDays == null ? null : Math.max(activityDays, other.activityDays);
        }
        return new ConditionNeeds(types, anyActivityType || other.anyActivityType, days, lists || other.lists);
    }
}
