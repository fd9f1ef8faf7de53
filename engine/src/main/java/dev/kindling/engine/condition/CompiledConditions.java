package dev.kindling.engine.condition;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.DaysSinceLastActivity;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.ConditionEvaluator.Outcome;
import dev.kindling.engine.condition.ProspectFacts.Opportunity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conditions compiled once, then evaluated for one prospect after another: {@link #outcomes} answers for each
 * condition exactly what {@link ConditionEvaluator#outcome} answers (the same decision and the same next flip, to the
 * microsecond, the same {@value ConditionEvaluator#MAX_FLIP_CANDIDATES} candidate instants at most), for a fraction of
 * the work. What the conditions share is done once per prospect: each distinct fixed leaf (a field, the score, the
 * grade, …) is decided once, and the times of the activities each distinct (type, filter) counts are gathered once.
 * Instants are epoch microseconds and windows whole microseconds, so a leaf at a candidate instant is a comparison or
 * a binary search over primitive arrays, and the candidate instants are a sorted array, not a set of objects.
 *
 * <p>A condition with a day count beyond {@value #MAX_DAYS} days, and a prospect with an instant beyond
 * {@value #MAX_SECONDS} seconds either side of the epoch (about 36,000 years), are left to the evaluator's interpreted
 * form, where microseconds could overflow: no real data comes near them, and they keep its answers exactly.
 * Immutable: one compiled set can serve several threads.
 */
public final class CompiledConditions {

    /** The largest day count (either sign) compiled; beyond it a condition is interpreted. */
    static final long MAX_DAYS = 1_000_000;

    /** The largest distance from the epoch (seconds, either way) of an instant the compiled form takes. */
    static final long MAX_SECONDS = (1L << 60) / 1_000_000;

    private static final long DAY = 86_400_000_000L;
    private static final long NONE = Long.MIN_VALUE;
    private static final int TYPES = ActivityType.values().length;
    private static final Outcome HOLDS = new Outcome(true, Optional.empty());
    private static final Outcome FAILS = new Outcome(false, Optional.empty());

    private final ConditionEvaluator evaluator;
    private final List<Condition> conditions;
    /** Per condition: its compiled tree, or null when it is interpreted. */
    private final Node[] roots;
    /** Per condition: whether a leaf of it can change with the clock. */
    private final boolean[] timed;
    /** The distinct fixed leaves, each decided at most once per prospect. */
    private final Decider[] fixed;
    /** The distinct (field, type) pairs field leaves read, each value typed at most once per prospect. */
    private final FieldKey[] fields;
    /** The distinct (type, filter) pairs of activity leaves, each gathered at most once per prospect. */
    private final Gather[] gathers;
    /** The distinct date fields read by olderThanDays/withinDays. */
    private final String[] dates;

    CompiledConditions(ConditionEvaluator evaluator, List<Condition> conditions) {
        this.evaluator = evaluator;
        this.conditions = List.copyOf(conditions);
        Compiler compiler = new Compiler();
        roots = new Node[this.conditions.size()];
        timed = new boolean[roots.length];
        for (int i = 0; i < roots.length; i++) {
            compiler.timed = false;
            roots[i] = compiler.fits(this.conditions.get(i)) ? compiler.compile(this.conditions.get(i), false) : null;
            timed[i] = compiler.timed;
        }
        fixed = new Decider[compiler.fixed.size()];
        int slot = 0;
        for (Condition c : compiler.fixed.keySet()) {
            fixed[slot++] = decider(c, compiler);
        }
        fields = compiler.fields.keySet().toArray(FieldKey[]::new);
        gathers = new Gather[compiler.gathers.size()];
        slot = 0;
        for (Counted k : compiler.gathers.keySet()) {
            gathers[slot] = new Gather(k.type(), k.filter(), compiler.horizons[slot]);
            slot++;
        }
        dates = compiler.dates.keySet().toArray(String[]::new);
    }

    /** How a fixed leaf is decided: a field leaf from its field's typed value, any other by the evaluator. */
    private Decider decider(Condition condition, Compiler compiler) {
        if (condition instanceof FieldCondition field) {
            int slot = compiler.fields.computeIfAbsent(
                    new FieldKey(field.field(), field.type()), k -> compiler.fields.size());
            String[] lowered = loweredTextOperands(field);
            if (lowered != null) {
                // is / is not (one of) texts, ignoring case: the operands lower-cased here once, not per prospect
                boolean negative = field.op() == Operator.NE || field.op() == Operator.NOT_IN;
                return call -> {
                    Object value = call.field(slot);
                    if (value == null) {
                        return negative;
                    }
                    String text = ConditionEvaluator.lower((String) value);
                    for (String operand : lowered) {
                        if (text.equals(operand)) {
                            return !negative;
                        }
                    }
                    return negative;
                };
            }
            return call -> ConditionEvaluator.typedField(field, call.field(slot), call.now);
        }
        return call -> evaluator.fixedLeaf(condition, call.facts, call.now);
    }

    /**
     * For a text field's {@code eq}, {@code ne}, {@code in} or {@code notIn} whose operands are all texts, the
     * operands lower-cased as {@link ConditionEvaluator#typedField} compares them ({@code eq} and {@code ne} read
     * the first only); null for any other field leaf.
     */
    static String[] loweredTextOperands(FieldCondition field) {
        if (field.type() != FieldType.TEXT) {
            return null;
        }
        List<Object> operands = switch (field.op()) {
            case EQ, NE -> field.operands().isEmpty() ? null : field.operands().subList(0, 1);
            case IN, NOT_IN -> field.operands();
            default -> null;
        };
        if (operands == null) {
            return null;
        }
        String[] lowered = new String[operands.size()];
        for (int i = 0; i < lowered.length; i++) {
            if (!(operands.get(i) instanceof String text)) {
                return null;
            }
            lowered[i] = ConditionEvaluator.lower(text);
        }
        return lowered;
    }

    /** Decides one fixed leaf for the prospect of a call. */
    private interface Decider {
        boolean decide(Call call);
    }

    /** A field as a leaf reads it: its name and the type its value is taken as. */
    private record FieldKey(String field, FieldType type) {}

    /** The conditions, in the order {@link #outcomes} answers them. */
    public List<Condition> conditions() {
        return conditions;
    }

    /**
     * The outcome of each condition for the prospect described by {@code facts} at {@code now}, in order: the same as
     * {@link ConditionEvaluator#outcome} of each.
     */
    public List<Outcome> outcomes(ProspectFacts facts, Instant now) {
        Outcome[] outcomes = new Outcome[roots.length];
        try {
            Call call = new Call(facts, now);
            for (int i = 0; i < outcomes.length; i++) {
                outcomes[i] = roots[i] == null
                        ? evaluator.outcome(conditions.get(i), facts, now)
                        : outcome(roots[i], timed[i], call);
            }
        } catch (OutOfRange e) {
            return evaluator.interpretedOutcomes(conditions, facts, now);
        }
        return Arrays.asList(outcomes);
    }

    /** As the interpreted outcome: the answer now, then the candidate instants in order until the answer differs. */
    private static Outcome outcome(Node root, boolean timed, Call call) {
        boolean current = root.holds(call, call.start);
        if (!timed) {
            return current ? HOLDS : FAILS;
        }
        call.size = 0;
        root.boundaries(call);
        if (call.size < ConditionEvaluator.MAX_FLIP_CANDIDATES && root.fixedFrom(call)) {
            // no candidate can change the answer, and there are too few for the evaluator to stop at one
            return current ? HOLDS : FAILS;
        }
        long[] candidates = call.candidates;
        Arrays.sort(candidates, 0, call.size);
        int tried = 0;
        long previous = NONE;
        for (int i = 0; i < call.size; i++) {
            long candidate = candidates[i];
            if (candidate == previous) {
                continue;
            }
            previous = candidate;
            if (root.holds(call, candidate) != current) {
                return new Outcome(current, Optional.of(instant(candidate)));
            }
            if (++tried >= ConditionEvaluator.MAX_FLIP_CANDIDATES) {
                return new Outcome(current, Optional.of(instant(candidate)));
            }
        }
        return current ? HOLDS : FAILS;
    }

    /** One prospect's facts while its outcomes are computed: what the leaves read, each worked out on first use. */
    private final class Call {
        final ProspectFacts facts;
        final Instant now;
        final long start;
        final long lastActivity;
        /** Per fixed leaf: 0 not decided yet, 1 false, 2 true. */
        final byte[] decided = new byte[fixed.length];

        final long[][] counted = new long[gathers.length][];
        final long[] dateValues = new long[dates.length];
        final boolean[] dateRead = new boolean[dates.length];
        final Object[] fieldValues = new Object[fields.length];
        final boolean[] fieldRead = new boolean[fields.length];
        /** Per activity, its url, form name and custom name lower-cased, each on first use. */
        String[] lowered;
        /** The non-bot activities' indexes grouped by type (in the facts' order within a type), built on first use. */
        int[] byType;

        int[] typeStart;
        /** The candidate instants of the condition at hand. */
        long[] candidates = new long[32];

        int size;

        Call(ProspectFacts facts, Instant now) {
            this.facts = facts;
            this.now = now.truncatedTo(ChronoUnit.MICROS);
            this.start = micros(now);
            this.lastActivity = facts.lastActivityAt() == null ? NONE : micros(facts.lastActivityAt());
        }

        boolean fixed(int slot) {
            byte d = decided[slot];
            if (d == 0) {
                d = fixed[slot].decide(this) ? (byte) 2 : (byte) 1;
                decided[slot] = d;
            }
            return d == 2;
        }

        Object field(int slot) {
            if (!fieldRead[slot]) {
                fieldValues[slot] = ConditionEvaluator.typed(
                        fields[slot].type(), facts.fields().get(fields[slot].field()));
                fieldRead[slot] = true;
            }
            return fieldValues[slot];
        }

        /** Activity {@code index}'s text {@code which} (0 url, 1 form name, 2 custom name) lower-cased, or null. */
        String lowered(int index, int which, String text) {
            if (text == null) {
                return null;
            }
            if (lowered == null) {
                lowered = new String[facts.activities().size() * 3];
            }
            String l = lowered[index * 3 + which];
            if (l == null) {
                l = ConditionEvaluator.lower(text);
                lowered[index * 3 + which] = l;
            }
            return l;
        }

        long date(int slot) {
            if (!dateRead[slot]) {
                Object value =
                        ConditionEvaluator.typed(FieldType.DATE, facts.fields().get(dates[slot]));
                dateValues[slot] = value instanceof Instant at ? micros(at) : NONE;
                dateRead[slot] = true;
            }
            return dateValues[slot];
        }

        /** The ascending times (epoch microseconds) of the activities gather {@code slot} counts. */
        long[] counted(int slot) {
            long[] times = counted[slot];
            if (times == null) {
                times = gather(gathers[slot]);
                counted[slot] = times;
            }
            return times;
        }

        private long[] gather(Gather gather) {
            List<Activity> activities = facts.activities();
            int from = 0;
            int to = activities.size();
            if (gather.type != null) {
                index();
                from = typeStart[gather.type.ordinal()];
                to = typeStart[gather.type.ordinal() + 1];
            }
            // an activity at or before the start less the widest window is inside no window from the start on
            long inside = gather.horizon < 0 ? NONE : start - gather.horizon;
            long[] times = new long[to - from];
            int n = 0;
            boolean sorted = true;
            for (int i = from; i < to; i++) {
                int index = gather.type == null ? i : byType[i];
                Activity a = activities.get(index);
                if (a.bot()) {
                    continue;
                }
                long at = micros(a.occurredAt());
                if (at > inside && gather.accepts(this, index, a)) {
                    sorted &= n == 0 || at >= times[n - 1];
                    times[n++] = at;
                }
            }
            if (n < times.length) {
                times = Arrays.copyOf(times, n);
            }
            if (!sorted) {
                Arrays.sort(times);
            }
            return times;
        }

        private void index() {
            if (byType != null) {
                return;
            }
            List<Activity> activities = facts.activities();
            typeStart = new int[TYPES + 1];
            for (Activity a : activities) {
                if (!a.bot()) {
                    typeStart[a.type().ordinal() + 1]++;
                }
            }
            for (int t = 0; t < TYPES; t++) {
                typeStart[t + 1] += typeStart[t];
            }
            byType = new int[typeStart[TYPES]];
            int[] next = Arrays.copyOf(typeStart, TYPES);
            for (int i = 0; i < activities.size(); i++) {
                Activity a = activities.get(i);
                if (!a.bot()) {
                    byType[next[a.type().ordinal()]++] = i;
                }
            }
        }

        /** Adds an instant at which a leaf changes, when it is after the start (the only ones that matter). */
        void candidate(long at) {
            if (at <= start) {
                return;
            }
            if (size == candidates.length) {
                candidates = Arrays.copyOf(candidates, size * 2);
            }
            candidates[size++] = at;
        }
    }

    /** A compiled condition; negation is pushed down to the leaves at compile time, as the interpreted form does. */
    private abstract static class Node {

        /** Whether this node holds at {@code t} (epoch microseconds) for the prospect of {@code call}. */
        abstract boolean holds(Call call, long t);

        /** Adds every instant after the start at which a leaf of this node changes. */
        void boundaries(Call call) {}

        /** Whether this node's answer for the prospect of {@code call} is the same at every instant from the start. */
        boolean fixedFrom(Call call) {
            return false;
        }
    }

    /**
     * {@code all} ({@code decisive} false) or {@code any} ({@code decisive} true): the first part answering
     * {@code decisive} decides, otherwise the group answers the opposite.
     */
    private static final class GroupNode extends Node {
        private final Node[] parts;
        private final boolean decisive;

        GroupNode(Node[] parts, boolean decisive) {
            this.parts = parts;
            this.decisive = decisive;
        }

        @Override
        boolean holds(Call call, long t) {
            for (Node part : parts) {
                if (part.holds(call, t) == decisive) {
                    return decisive;
                }
            }
            return !decisive;
        }

        @Override
        void boundaries(Call call) {
            for (Node part : parts) {
                part.boundaries(call);
            }
        }

        /**
         * Fixed when a fixed part answers the decisive value (then the group does at every instant: a failing part of
         * an all, a holding part of an any), or when every part is fixed.
         */
        @Override
        boolean fixedFrom(Call call) {
            boolean all = true;
            for (Node part : parts) {
                if (part.fixedFrom(call)) {
                    if (part.holds(call, call.start) == decisive) {
                        return true;
                    }
                } else {
                    all = false;
                }
            }
            return all;
        }
    }

    /** A leaf without the clock in it, decided once per prospect. */
    private static final class FixedLeaf extends Node {
        private final int slot;
        private final boolean negated;

        FixedLeaf(int slot, boolean negated) {
            this.slot = slot;
            this.negated = negated;
        }

        @Override
        boolean holds(Call call, long t) {
            return call.fixed(slot) != negated;
        }

        @Override
        boolean fixedFrom(Call call) {
            return true;
        }
    }

    /** The score compared with whole numbers: cheaper to compare again than to remember. */
    private static final class ScoreLeaf extends Node {
        private final Operator op;
        private final long a;
        private final long b;
        private final boolean negated;

        ScoreLeaf(ScoreCondition condition, boolean negated) {
            this.op = condition.op();
            this.a = condition.operands().get(0);
            this.b = op == Operator.BETWEEN ? condition.operands().get(1) : 0;
            this.negated = negated;
        }

        @Override
        boolean holds(Call call, long t) {
            long score = call.facts.score();
            boolean holds = switch (op) {
                case EQ -> score == a;
                case NE -> score != a;
                case GT -> score > a;
                case GTE -> score >= a;
                case LT -> score < a;
                case LTE -> score <= a;
                case BETWEEN -> score >= a && score <= b;
                default -> throw new IllegalStateException(op.name());
            };
            return holds != negated;
        }

        @Override
        boolean fixedFrom(Call call) {
            return true;
        }
    }

    /** An activity leaf: how many counted times lie after t − window (all of them without a window). */
    private static final class CountLeaf extends Node {
        private final int slot;
        private final int atLeast;
        private final boolean did;
        /** The window in microseconds, or -1 for ever. */
        private final long window;

        private final boolean negated;

        CountLeaf(int slot, ActivityCondition condition, boolean negated) {
            this.slot = slot;
            this.atLeast = condition.atLeast();
            this.did = condition.did();
            this.window = condition.withinDays() == null ? -1 : condition.withinDays() * DAY;
            this.negated = negated;
        }

        @Override
        boolean holds(Call call, long t) {
            long[] times = call.counted(slot);
            int count = window < 0 ? times.length : times.length - firstAfter(times, t - window);
            return ((count >= atLeast) == did) != negated;
        }

        @Override
        void boundaries(Call call) {
            if (window >= 0) {
                // only the activities still inside the window leave it later
                long[] times = call.counted(slot);
                for (int i = firstAfter(times, call.start - window); i < times.length; i++) {
                    call.candidate(times[i] + window);
                }
            }
        }

        @Override
        boolean fixedFrom(Call call) {
            return window < 0;
        }
    }

    /**
     * Whole days since the last activity, as {@link DaysSinceLastActivity#window} bounds it: the last activity in
     * (t − after, t − atMost] (an absent bound is open), or outside it when {@code outside}.
     */
    private static final class DaysSinceLeaf extends Node {
        private final long atMost;
        private final long after;
        private final boolean outside;
        /** Where {@link ConditionEvaluator} looks for a flip: d and d + 1 days after the last activity, per operand. */
        private final long[] offsets;

        private final boolean negated;

        DaysSinceLeaf(DaysSinceLastActivity condition, boolean negated) {
            long a = condition.operands().get(0);
            long[] bounds = switch (condition.op()) {
                case EQ, NE -> new long[] {a, a + 1};
                case GT -> new long[] {a + 1, NONE};
                case GTE -> new long[] {a, NONE};
                case LT -> new long[] {NONE, a};
                case LTE -> new long[] {NONE, a + 1};
                case BETWEEN -> new long[] {a, condition.operands().get(1) + 1};
                default -> throw new IllegalStateException(condition.op().name());
            };
            this.atMost = bounds[0] == NONE ? NONE : bounds[0] * DAY;
            this.after = bounds[1] == NONE ? NONE : bounds[1] * DAY;
            this.outside = condition.op() == Operator.NE;
            List<Long> operands = condition.operands();
            this.offsets = new long[operands.size() * 2];
            for (int i = 0; i < operands.size(); i++) {
                offsets[2 * i] = operands.get(i) * DAY;
                offsets[2 * i + 1] = (operands.get(i) + 1) * DAY;
            }
            this.negated = negated;
        }

        @Override
        boolean holds(Call call, long t) {
            long last = call.lastActivity;
            if (last == NONE) {
                return negated;
            }
            boolean inside = (atMost == NONE || last <= t - atMost) && (after == NONE || last > t - after);
            return (inside != outside) != negated;
        }

        @Override
        void boundaries(Call call) {
            if (call.lastActivity != NONE) {
                for (long offset : offsets) {
                    call.candidate(call.lastActivity + offset);
                }
            }
        }
    }

    /** A date field at least ({@code olderThanDays}) or less than ({@code withinDays}) so many days before t. */
    private static final class DateLeaf extends Node {
        private final int slot;
        private final long days;
        private final boolean older;
        private final boolean negated;

        DateLeaf(int slot, FieldCondition condition, boolean negated) {
            this.slot = slot;
            this.days = (Long) condition.operands().get(0) * DAY;
            this.older = condition.op() == Operator.OLDER_THAN_DAYS;
            this.negated = negated;
        }

        @Override
        boolean holds(Call call, long t) {
            long value = call.date(slot);
            if (value == NONE) {
                return negated;
            }
            return (older ? value <= t - days : value > t - days) != negated;
        }

        @Override
        void boundaries(Call call) {
            long value = call.date(slot);
            if (value != NONE) {
                call.candidate(value + days);
            }
        }
    }

    /** An opportunity leaf (rare): the interpreted test, at t when it has a window. */
    private static final class OpportunityLeaf extends Node {
        private final OpportunityCondition condition;
        private final long window;
        private final boolean negated;

        OpportunityLeaf(OpportunityCondition condition, boolean negated) {
            this.condition = condition;
            this.window = condition.closedWithinDays() == null ? NONE : condition.closedWithinDays() * DAY;
            this.negated = negated;
        }

        @Override
        boolean holds(Call call, long t) {
            Instant at = window == NONE || t == call.start ? call.now : instant(t);
            return ConditionEvaluator.opportunities(condition, call.facts, at, negated);
        }

        @Override
        void boundaries(Call call) {
            if (window != NONE) {
                for (Opportunity o : call.facts.opportunities()) {
                    if (o.closedAt() != null) {
                        call.candidate(micros(o.closedAt()) + window);
                    }
                }
            }
        }
    }

    /** What an activity leaf counts apart from its window, its texts lower-cased once. */
    private static final class Gather {
        final ActivityType type;
        /** The widest window of the leaves counting these activities (microseconds), or -1 when one has none. */
        final long horizon;

        private final String customName;
        private final String urlContains;
        private final String formName;
        private final String emailId;
        private final Long campaignId;

        Gather(ActivityType type, ActivityFilter filter, long horizon) {
            this.type = type;
            this.horizon = horizon;
            this.customName = filter.customName() == null ? null : ConditionEvaluator.lower(filter.customName());
            this.urlContains = filter.urlContains() == null ? null : ConditionEvaluator.lower(filter.urlContains());
            this.formName = filter.formName() == null ? null : ConditionEvaluator.lower(filter.formName());
            this.emailId = filter.emailId();
            this.campaignId = filter.campaignId();
        }

        /** The filter's test, as the interpreted form's (the caller has checked type and bot). */
        boolean accepts(Call call, int index, Activity a) {
            if (customName != null) {
                String name = call.lowered(index, 2, a.customName());
                if (name == null || !name.equals(customName)) {
                    return false;
                }
            }
            if (urlContains != null) {
                String url = call.lowered(index, 0, a.properties().get("url"));
                if (url == null || !url.contains(urlContains)) {
                    return false;
                }
            }
            if (formName != null) {
                String form = call.lowered(index, 1, a.properties().get("formName"));
                if (form == null || !form.equals(formName)) {
                    return false;
                }
            }
            return (emailId == null || emailId.equals(a.properties().get("emailId")))
                    && (campaignId == null || campaignId.equals(a.campaignId()));
        }
    }

    /** What an activity leaf counts apart from its window: leaves differing only in window share the times. */
    private record Counted(ActivityType type, ActivityFilter filter) {}

    /** Turns conditions into nodes, numbering the distinct fixed leaves, activity gathers and date fields. */
    private static final class Compiler {
        final Map<Condition, Integer> fixed = new LinkedHashMap<>();
        final Map<Counted, Integer> gathers = new LinkedHashMap<>();
        final Map<String, Integer> dates = new LinkedHashMap<>();
        final Map<FieldKey, Integer> fields = new LinkedHashMap<>();
        /** Per gather, the widest window of its leaves in microseconds, -1 when one counts for ever. */
        long[] horizons = new long[8];

        boolean timed;

        Node compile(Condition condition, boolean negated) {
            return switch (condition) {
                // all (or a negated any) holds when no part fails; any (or a negated all) when some part holds
                case All all -> new GroupNode(parts(all.conditions(), negated), negated);
                case Any any -> new GroupNode(parts(any.conditions(), negated), !negated);
                case Not not -> compile(not.condition(), !negated);
                case OpportunityCondition opportunity -> {
                    timed |= opportunity.closedWithinDays() != null;
                    yield new OpportunityLeaf(opportunity, negated);
                }
                case ActivityCondition activity -> {
                    timed |= activity.withinDays() != null;
                    Counted key = new Counted(activity.type(), activity.filter());
                    long window = activity.withinDays() == null ? -1 : activity.withinDays() * DAY;
                    int slot = gathers.size();
                    Integer known = gathers.putIfAbsent(key, slot);
                    if (known == null) {
                        if (slot == horizons.length) {
                            horizons = Arrays.copyOf(horizons, slot * 2);
                        }
                        horizons[slot] = window;
                    } else {
                        slot = known;
                        long widest = horizons[slot];
                        horizons[slot] = widest < 0 || window < 0 ? -1 : Math.max(widest, window);
                    }
                    yield new CountLeaf(slot, activity, negated);
                }
                case DaysSinceLastActivity days -> {
                    timed = true;
                    yield new DaysSinceLeaf(days, negated);
                }
                case FieldCondition field
                when isDateWindow(field) -> {
                    timed = true;
                    yield new DateLeaf(dates.computeIfAbsent(field.field(), k -> dates.size()), field, negated);
                }
                case ScoreCondition score -> new ScoreLeaf(score, negated);
                default -> new FixedLeaf(fixed.computeIfAbsent(condition, k -> fixed.size()), negated);
            };
        }

        /** The parts in the order cheapest first (the answer does not depend on it: evaluating has no effects). */
        private Node[] parts(List<Condition> conditions, boolean negated) {
            Node[] nodes = new Node[conditions.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = compile(conditions.get(i), negated);
            }
            Node[] ordered = new Node[nodes.length];
            int n = 0;
            for (int rank = 0; rank < 3; rank++) {
                for (Node node : nodes) {
                    if (rank(node) == rank) {
                        ordered[n++] = node;
                    }
                }
            }
            return ordered;
        }

        private static int rank(Node node) {
            return node instanceof ScoreLeaf ? 0 : node instanceof FixedLeaf ? 1 : 2;
        }

        /** Whether every day count of the condition is small enough for microseconds not to overflow. */
        boolean fits(Condition condition) {
            return switch (condition) {
                case All all -> fitAll(all.conditions());
                case Any any -> fitAll(any.conditions());
                case Not not -> fits(not.condition());
                case OpportunityCondition o -> o.closedWithinDays() == null || small(o.closedWithinDays());
                case ActivityCondition a -> a.withinDays() == null || small(a.withinDays());
                case DaysSinceLastActivity d ->
                    small(d.operands().get(0)) && small(d.operands().getLast());
                case FieldCondition f
                when isDateWindow(f) -> small((Long) f.operands().get(0));
                default -> true;
            };
        }

        private boolean fitAll(List<Condition> conditions) {
            for (Condition c : conditions) {
                if (!fits(c)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isDateWindow(FieldCondition field) {
            return field.op() == Operator.OLDER_THAN_DAYS || field.op() == Operator.WITHIN_DAYS;
        }
    }

    private static boolean small(long days) {
        return days >= -MAX_DAYS && days <= MAX_DAYS;
    }

    /** The index of the first of these ascending times after {@code after} (their length when none is). */
    private static int firstAfter(long[] times, long after) {
        int low = 0;
        int high = times.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid] > after) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** An instant as epoch microseconds, truncated as PostgreSQL stores it; out of range, the interpreted form. */
    static long micros(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) {
            throw new OutOfRange();
        }
        return seconds * 1_000_000 + instant.getNano() / 1_000;
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    /** A prospect's instant too far from the epoch for the compiled form (never in real data). */
    private static final class OutOfRange extends RuntimeException {
        OutOfRange() {
            super(null, null, false, false);
        }
    }
}
