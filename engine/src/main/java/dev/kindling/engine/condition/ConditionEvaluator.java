package dev.kindling.engine.condition;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.DaysSinceLastActivity;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.GradeCondition;
import dev.kindling.engine.condition.Condition.ListMembership;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.OwnerCondition;
import dev.kindling.engine.condition.Condition.ProgramState;
import dev.kindling.engine.condition.Condition.QuadrantCondition;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Condition.StageCondition;
import dev.kindling.engine.condition.ProspectFacts.Opportunity;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.grading.Thresholds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Evaluates conditions for one prospect in memory (the event path), and tells when a condition's
 * value can next change with the passing of time alone. {@code now} is used at microsecond
 * precision, as PostgreSQL stores instants, so this agrees with the SQL form of a condition
 * evaluated with the same {@code now}.
 */
public final class ConditionEvaluator {

    /** How many future instants {@link #nextFlip} examines before answering conservatively. */
    static final int MAX_FLIP_CANDIDATES = 512;

    private final Thresholds thresholds;

    public ConditionEvaluator(Thresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /** Whether the prospect described by {@code facts} meets {@code condition} at {@code now}. */
    public boolean matches(Condition condition, ProspectFacts facts, Instant now) {
        return evaluate(condition, new Scope(facts), now.truncatedTo(ChronoUnit.MICROS), false);
    }

    /**
     * The first instant after {@code now} at which {@link #matches} gives a different answer for the
     * same facts, or empty when the clock alone never changes it. When more than
     * {@value #MAX_FLIP_CANDIDATES} instants would have to be tried, the last one tried is returned:
     * an earlier re-evaluation than needed, never a later one.
     */
    public Optional<Instant> nextFlip(Condition condition, ProspectFacts facts, Instant now) {
        return outcome(condition, facts, now).nextFlip();
    }

    /**
     * {@link #matches} and {@link #nextFlip} together, sharing the work on the prospect's activities (each
     * counting leaf filters them once): what the event path asks of every watched condition.
     */
    public Outcome outcome(Condition condition, ProspectFacts facts, Instant now) {
        return outcome(condition, new Scope(facts), now.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * {@link #outcome} of each of {@code conditions} for one prospect, in order, sharing the work on its facts: what
     * the event path asks of every watched condition at once.
     */
    public List<Outcome> outcomes(List<Condition> conditions, ProspectFacts facts, Instant now) {
        return compile(conditions).outcomes(facts, now);
    }

    /**
     * {@code conditions} compiled once for {@link CompiledConditions#outcomes}, the same answers as {@link #outcomes}
     * for one prospect after another without redoing per prospect what depends on the conditions alone: what the
     * event path does with its watched conditions.
     */
    public CompiledConditions compile(List<Condition> conditions) {
        return new CompiledConditions(this, conditions);
    }

    /** {@link #outcomes} condition by condition on the model itself: the definition {@link CompiledConditions} keeps. */
    List<Outcome> interpretedOutcomes(List<Condition> conditions, ProspectFacts facts, Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.MICROS);
        Scope scope = new Scope(facts);
        Outcome[] outcomes = new Outcome[conditions.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = outcome(conditions.get(i), scope, start);
        }
        return Arrays.asList(outcomes);
    }

    private Outcome outcome(Condition condition, Scope scope, Instant start) {
        boolean current = evaluate(condition, scope, start, false);
        TreeSet<Instant> candidates = new TreeSet<>();
        collectBoundaries(condition, scope, start, candidates);
        int tried = 0;
        Instant last = null;
        for (Instant candidate : candidates.tailSet(start, false)) {
            if (evaluate(condition, scope, candidate, false) != current) {
                return new Outcome(current, Optional.of(candidate));
            }
            last = candidate;
            if (++tried >= MAX_FLIP_CANDIDATES) {
                return new Outcome(current, Optional.of(last));
            }
        }
        return new Outcome(current, Optional.empty());
    }

    /**
     * A condition's answer for one prospect now, and when it can next change with the clock alone.
     *
     * @param matches  whether the prospect meets the condition now ({@link #matches})
     * @param nextFlip the first later instant the answer changes ({@link #nextFlip})
     */
    public record Outcome(boolean matches, Optional<Instant> nextFlip) {}

    /**
     * One prospect's facts while evaluating: per activity leaf, the times (at microsecond precision, ascending)
     * of the activities it counts, filtered once, so evaluating at many instants is a binary search each.
     */
    private static final class Scope {
        final ProspectFacts facts;
        /** Per (type, filter) of an activity leaf: the counted times; leaves differing only in window share them. */
        private HashMap<Counted, Instant[]> counted;
        /** The non-bot activities by type, each in the facts' order, built on first use. */
        private EnumMap<ActivityType, List<Activity>> byType;

        Scope(ProspectFacts facts) {
            this.facts = facts;
        }

        Instant[] counted(ActivityCondition condition) {
            if (counted == null) {
                counted = new HashMap<>();
            }
            Counted key = new Counted(condition.type(), condition.filter());
            Instant[] times = counted.get(key);
            if (times == null) {
                List<Activity> activities = condition.type() == null ? facts.activities() : ofType(condition.type());
                Instant[] buffer = new Instant[activities.size()];
                int n = 0;
                boolean sorted = true;
                for (Activity a : activities) {
                    if (counts(condition, a)) {
                        Instant at = micros(a.occurredAt());
                        sorted &= n == 0 || !at.isBefore(buffer[n - 1]);
                        buffer[n++] = at;
                    }
                }
                times = Arrays.copyOf(buffer, n);
                if (!sorted) {
                    Arrays.sort(times);
                }
                counted.put(key, times);
            }
            return times;
        }

        private List<Activity> ofType(ActivityType type) {
            if (byType == null) {
                byType = new EnumMap<>(ActivityType.class);
                for (Activity a : facts.activities()) {
                    if (!a.bot()) {
                        byType.computeIfAbsent(a.type(), k -> new ArrayList<>()).add(a);
                    }
                }
            }
            return byType.getOrDefault(type, List.of());
        }
    }

    /** What an activity leaf counts, apart from its window. */
    private record Counted(ActivityType type, ActivityFilter filter) {}

    private boolean evaluate(Condition condition, Scope scope, Instant now, boolean negated) {
        ProspectFacts facts = scope.facts;
        return switch (condition) {
            // all (or a negated any) holds when no part fails; any (or a negated all) when some part holds
            case All all ->
                negated ? some(all.conditions(), scope, now, true) : every(all.conditions(), scope, now, false);
            case Any any ->
                negated ? every(any.conditions(), scope, now, true) : some(any.conditions(), scope, now, false);
            case Not not -> evaluate(not.condition(), scope, now, !negated);
            case OpportunityCondition opportunity -> opportunities(opportunity, facts, now, negated);
            default -> leaf(condition, scope, now) != negated;
        };
    }

    /** An opportunity leaf: some opportunity matches; negated, the prospect has some and none matches. */
    static boolean opportunities(OpportunityCondition condition, ProspectFacts facts, Instant now, boolean negated) {
        return negated
                ? !facts.opportunities().isEmpty()
                        && facts.opportunities().stream().noneMatch(o -> matches(condition, o, now))
                : facts.opportunities().stream().anyMatch(o -> matches(condition, o, now));
    }

    private boolean every(List<Condition> parts, Scope scope, Instant now, boolean negated) {
        for (Condition part : parts) {
            if (!evaluate(part, scope, now, negated)) {
                return false;
            }
        }
        return true;
    }

    private boolean some(List<Condition> parts, Scope scope, Instant now, boolean negated) {
        for (Condition part : parts) {
            if (evaluate(part, scope, now, negated)) {
                return true;
            }
        }
        return false;
    }

    private boolean leaf(Condition condition, Scope scope, Instant now) {
        return switch (condition) {
            case ActivityCondition activity ->
                (countActivities(activity, scope, now) >= activity.atLeast()) == activity.did();
            case DaysSinceLastActivity days ->
                days.window(now)
                        .holds(scope.facts.lastActivityAt() == null ? null : micros(scope.facts.lastActivityAt()));
            default -> fixedLeaf(condition, scope.facts, now);
        };
    }

    /**
     * A leaf that reads neither the activities nor the last activity: a field, the score, the grade, the stage, the
     * quadrant, the owner, a list, a program. Only a date field's {@code olderThanDays}/{@code withinDays} reads
     * {@code now}.
     */
    boolean fixedLeaf(Condition condition, ProspectFacts facts, Instant now) {
        return switch (condition) {
            case FieldCondition field -> field(field, facts.fields().get(field.field()), now);
            case ScoreCondition score -> compare(score.op(), score.operands(), facts.score());
            case GradeCondition grade -> grade.matchedGrades().contains(facts.grade()) != grade.isNegative();
            case StageCondition stage -> stage.stages().contains(facts.stage()) == stage.in();
            case QuadrantCondition quadrant ->
                quadrant.quadrants()
                                .contains(thresholds.quadrant(
                                        Grade.parse(facts.grade()).orElse(null), facts.score()))
                        == quadrant.in();
            case OwnerCondition owner ->
                owner.assigned()
                        ? facts.ownerId() != null
                                && (owner.ownerIds().isEmpty()
                                        || owner.ownerIds().contains(facts.ownerId()))
                        : facts.ownerId() == null;
            case ListMembership list -> facts.listIds().contains(list.listId());
            case ProgramState program ->
                facts.programs().containsKey(program.programId())
                        && (program.state() == null
                                || program.state().equals(facts.programs().get(program.programId())));
            case ActivityCondition a -> throw new IllegalStateException();
            case DaysSinceLastActivity d -> throw new IllegalStateException();
            case All a -> throw new IllegalStateException();
            case Any a -> throw new IllegalStateException();
            case Not n -> throw new IllegalStateException();
            case OpportunityCondition o -> throw new IllegalStateException();
        };
    }

    private static boolean compare(Operator op, List<Long> operands, long value) {
        long a = operands.get(0);
        return switch (op) {
            case EQ -> value == a;
            case NE -> value != a;
            case GT -> value > a;
            case GTE -> value >= a;
            case LT -> value < a;
            case LTE -> value <= a;
            case BETWEEN -> value >= a && value <= operands.get(1);
            default -> throw new IllegalStateException(op.name());
        };
    }

    private static boolean field(FieldCondition condition, Object raw, Instant now) {
        return typedField(condition, typed(condition.type(), raw), now);
    }

    /** A field leaf for the field's value already {@link #typed} as the condition's type. */
    static boolean typedField(FieldCondition condition, Object value, Instant now) {
        List<Object> operands = condition.operands();
        return switch (condition.op()) {
            case IS_EMPTY -> value == null;
            case IS_NOT_EMPTY -> value != null;
            case NE -> value == null || !same(value, operands.get(0));
            case NOT_IN -> value == null || operands.stream().noneMatch(o -> same(value, o));
            default -> value != null && positive(condition.op(), value, operands, now);
        };
    }

    private static boolean positive(Operator op, Object value, List<Object> operands, Instant now) {
        Object a = operands.get(0);
        return switch (op) {
            case EQ -> same(value, a);
            case IN -> operands.stream().anyMatch(o -> same(value, o));
            case CONTAINS -> lower((String) value).contains(lower((String) a));
            case STARTS_WITH -> lower((String) value).startsWith(lower((String) a));
            case ENDS_WITH -> lower((String) value).endsWith(lower((String) a));
            case GT -> order(value, a) > 0;
            case GTE -> order(value, a) >= 0;
            case LT -> order(value, a) < 0;
            case LTE -> order(value, a) <= 0;
            case BETWEEN -> order(value, a) >= 0 && order(value, operands.get(1)) <= 0;
            case OLDER_THAN_DAYS -> !((Instant) value).isAfter(daysBefore(now, (Long) a));
            case WITHIN_DAYS -> ((Instant) value).isAfter(daysBefore(now, (Long) a));
            default -> throw new IllegalStateException(op.name());
        };
    }

    private static boolean same(Object value, Object operand) {
        return switch (value) {
            case String s -> lower(s).equals(lower((String) operand));
            case BigDecimal n -> n.compareTo((BigDecimal) operand) == 0;
            default -> value.equals(operand);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int order(Object value, Object operand) {
        return ((Comparable) value).compareTo(operand);
    }

    /**
     * A raw field value as its type, or {@code null} when empty or of another type (as the SQL form
     * reads a custom field of the wrong JSON type as empty). An empty string is empty.
     */
    static Object typed(FieldType type, Object raw) {
        return switch (type) {
            case TEXT -> raw instanceof String s && !s.isEmpty() ? s : null;
            case NUMBER ->
                switch (raw) {
                    case BigDecimal d -> d;
                    case Integer i -> BigDecimal.valueOf(i);
                    case Long l -> BigDecimal.valueOf(l);
                    case Short s -> BigDecimal.valueOf(s);
                    case Double d -> BigDecimal.valueOf(d);
                    case Float f -> new BigDecimal(f.toString());
                    case null, default -> null;
                };
            case DATE ->
                switch (raw) {
                    case Instant i -> i.truncatedTo(ChronoUnit.MICROS);
                    case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant();
                    case String s -> date(s);
                    case null, default -> null;
                };
            case BOOLEAN -> raw instanceof Boolean b ? b : null;
        };
    }

    /** A stored custom date ({@code YYYY-MM-DD}) as the start of that day in UTC, or null. */
    private static Instant date(String text) {
        if (text.length() != 10 || !text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            return null;
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Lower case code point by code point, without locale or context rules, as PostgreSQL's
     * {@code lower()} does; so "ignoring case" means the same in memory and in SQL.
     */
    public static String lower(String text) {
        int n = text.length();
        boolean upper = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                return lowerCodePoints(text);
            }
            upper |= c >= 'A' && c <= 'Z';
        }
        if (!upper) {
            return text; // ASCII without capitals (most URLs and values): already lower case
        }
        char[] lowered = new char[n];
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            lowered[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return new String(lowered);
    }

    private static String lowerCodePoints(String text) {
        StringBuilder lowered = new StringBuilder(text.length());
        text.codePoints().map(Character::toLowerCase).forEach(lowered::appendCodePoint);
        return lowered.toString();
    }

    /** How many counted activities lie inside the window ending at {@code now} (after now − withinDays). */
    private static long countActivities(ActivityCondition condition, Scope scope, Instant now) {
        Instant[] times = scope.counted(condition);
        if (condition.withinDays() == null) {
            return times.length;
        }
        return times.length - firstAfter(times, daysBefore(now, condition.withinDays()));
    }

    /** The index of the first of these ascending times after {@code after} (their length when none is). */
    private static int firstAfter(Instant[] times, Instant after) {
        int low = 0;
        int high = times.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid].isAfter(after)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    private static boolean counts(ActivityCondition condition, Activity activity) {
        if (activity.bot() || (condition.type() != null && condition.type() != activity.type())) {
            return false;
        }
        ActivityFilter filter = condition.filter();
        return (filter.customName() == null
                        || activity.customName() != null
                                && lower(activity.customName()).equals(lower(filter.customName())))
                && (filter.urlContains() == null
                        || property(activity, "url") != null
                                && lower(property(activity, "url")).contains(lower(filter.urlContains())))
                && (filter.formName() == null
                        || property(activity, "formName") != null
                                && lower(property(activity, "formName")).equals(lower(filter.formName())))
                && (filter.emailId() == null || filter.emailId().equals(property(activity, "emailId")))
                && (filter.campaignId() == null || filter.campaignId().equals(activity.campaignId()));
    }

    private static String property(Activity activity, String name) {
        return activity.properties().get(name);
    }

    static boolean matches(OpportunityCondition condition, Opportunity opportunity, Instant now) {
        return (condition.statuses().isEmpty() || condition.statuses().contains(opportunity.status()))
                && (condition.closedWithinDays() == null
                        || opportunity.closedAt() != null
                                && micros(opportunity.closedAt())
                                        .isAfter(daysBefore(now, condition.closedWithinDays())))
                && (condition.minAmount() == null
                        || opportunity.amount() != null && opportunity.amount().compareTo(condition.minAmount()) >= 0)
                && (condition.type() == null || condition.type() == opportunity.type())
                && (condition.lostReasons().isEmpty()
                        || opportunity.lostReason() != null
                                && condition.lostReasons().contains(opportunity.lostReason()));
    }

    private static Instant daysBefore(Instant now, long days) {
        return now.minus(Duration.ofDays(days));
    }

    /** Every instant at which a time-relative leaf of {@code condition} changes value for these facts. */
    private static void collectBoundaries(Condition condition, Scope scope, Instant now, TreeSet<Instant> into) {
        ProspectFacts facts = scope.facts;
        switch (condition) {
            case All all -> all.conditions().forEach(c -> collectBoundaries(c, scope, now, into));
            case Any any -> any.conditions().forEach(c -> collectBoundaries(c, scope, now, into));
            case Not not -> collectBoundaries(not.condition(), scope, now, into);
            case FieldCondition field -> {
                if (field.op() == Operator.OLDER_THAN_DAYS || field.op() == Operator.WITHIN_DAYS) {
                    Object value = typed(field.type(), facts.fields().get(field.field()));
                    if (value instanceof Instant at) {
                        into.add(at.plus(Duration.ofDays((Long) field.operands().get(0))));
                    }
                }
            }
            case ActivityCondition activity -> {
                if (activity.withinDays() != null) {
                    // only the activities still inside the window leave it later; the times are ascending
                    Duration window = Duration.ofDays(activity.withinDays());
                    Instant[] times = scope.counted(activity);
                    Instant after = daysBefore(now, activity.withinDays());
                    for (int i = firstAfter(times, after); i < times.length; i++) {
                        into.add(times[i].plus(window));
                    }
                }
            }
            case DaysSinceLastActivity days -> {
                if (facts.lastActivityAt() != null) {
                    Instant last = facts.lastActivityAt().truncatedTo(ChronoUnit.MICROS);
                    for (long d : days.operands()) {
                        into.add(last.plus(Duration.ofDays(d)));
                        into.add(last.plus(Duration.ofDays(d + 1)));
                    }
                }
            }
            case OpportunityCondition opportunity -> {
                if (opportunity.closedWithinDays() != null) {
                    Duration window = Duration.ofDays(opportunity.closedWithinDays());
                    facts.opportunities().stream()
                            .filter(o -> o.closedAt() != null)
                            .forEach(o -> into.add(
                                    o.closedAt().truncatedTo(ChronoUnit.MICROS).plus(window)));
                }
            }
            default -> {
                // the other leaves do not depend on the clock
            }
        }
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
