package dev.kindling.engine.condition;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.ProspectFacts.LostReason;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A condition over one prospect (SPEC §6): groups {@link All}, {@link Any}, {@link Not} nested
 * freely over leaves. Every leaf is two-valued: an empty value never makes a positive comparison
 * true, so {@code ne}, {@code notIn} and {@link Not} include prospects with empty values. The one
 * exception is {@link OpportunityCondition}: see there. {@code docs/conditions.md} is the reference.
 */
public sealed interface Condition {

    /** True when every part is (true when empty). */
    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }
    }

    /** True when at least one part is (false when empty). */
    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }
    }

    /**
     * The opposite of {@code condition}, except that negation is pushed down to the leaves (De
     * Morgan) and a negated {@link OpportunityCondition} still requires at least one opportunity.
     */
    record Not(Condition condition) implements Condition {
        public Not {
            Objects.requireNonNull(condition, "condition");
        }
    }

    /**
     * A prospect or account field ({@code industry}, {@code account.industry}, {@code custom.budget})
     * of a given type compared with operands of the type's {@link FieldType#operandClass operand class}.
     * Text comparisons ignore case; an empty string counts as empty.
     */
    record FieldCondition(String field, FieldType type, Operator op, List<Object> operands) implements Condition {
        public FieldCondition {
            Objects.requireNonNull(field, "field");
            if (!type.operators().contains(op)) {
                throw new IllegalArgumentException(op.json() + " does not apply to " + type);
            }
            operands = List.copyOf(operands);
            if (!op.accepts(operands.size())) {
                throw new IllegalArgumentException(op.json() + " takes " + op.arity() + " operands");
            }
            for (Object operand : operands) {
                if (!type.operandClass(op).isInstance(operand)) {
                    throw new IllegalArgumentException(op.json() + " on " + type + " needs " + type.operandClass(op));
                }
            }
        }
    }

    /** The score compared with whole numbers (eq, ne, gt, gte, lt, lte, between). */
    record ScoreCondition(Operator op, List<Long> operands) implements Condition {
        public ScoreCondition {
            operands = numeric(op, operands);
        }
    }

    /**
     * The grade compared on the scale F &lt; D- &lt; … &lt; A+ ({@link GradeOrder}); an ungraded
     * prospect matches only {@code isEmpty} (and the negations).
     */
    record GradeCondition(Operator op, List<String> grades) implements Condition {
        static final Set<Operator> OPERATORS = EnumSet.of(
                Operator.EQ,
                Operator.NE,
                Operator.IN,
                Operator.NOT_IN,
                Operator.GT,
                Operator.GTE,
                Operator.LT,
                Operator.LTE,
                Operator.BETWEEN,
                Operator.IS_EMPTY,
                Operator.IS_NOT_EMPTY);

        public GradeCondition {
            grades = List.copyOf(grades);
            if (!OPERATORS.contains(op) || !op.accepts(grades.size())) {
                throw new IllegalArgumentException("bad grade condition " + op);
            }
            grades.forEach(g -> {
                if (!GradeOrder.isGrade(g)) {
                    throw new IllegalArgumentException("not a grade: " + g);
                }
            });
        }

        /** Whether the condition is the complement of {@link #matchedGrades()} (ne, notIn, isEmpty). */
        public boolean isNegative() {
            return op == Operator.NE || op == Operator.NOT_IN || op == Operator.IS_EMPTY;
        }

        /**
         * The grades the positive form of this condition accepts; the condition holds when the
         * prospect's grade is one of them, or for a {@link #isNegative negative} one when it is not.
         */
        public Set<String> matchedGrades() {
            int first = grades.isEmpty() ? -1 : GradeOrder.rank(grades.get(0));
            java.util.function.IntPredicate rank = switch (op) {
                case EQ, NE -> r -> r == first;
                case IN, NOT_IN -> r -> grades.contains(GradeOrder.GRADES.get(r));
                case GT -> r -> r > first;
                case GTE -> r -> r >= first;
                case LT -> r -> r < first;
                case LTE -> r -> r <= first;
                case BETWEEN -> r -> r >= first && r <= GradeOrder.rank(grades.get(1));
                case IS_EMPTY, IS_NOT_EMPTY -> r -> true;
                default -> throw new IllegalStateException(op.name());
            };
            Set<String> matched = new java.util.LinkedHashSet<>();
            for (int r = 0; r < GradeOrder.GRADES.size(); r++) {
                if (rank.test(r)) {
                    matched.add(GradeOrder.GRADES.get(r));
                }
            }
            return matched;
        }
    }

    /** The current lifecycle stage is ({@code in}) or is not ({@code notIn}) one of {@code stages}. */
    record StageCondition(boolean in, Set<LifecycleStage> stages) implements Condition {
        public StageCondition {
            stages = Set.copyOf(stages);
        }
    }

    /** The fit × interest quadrant is ({@code in}) or is not one of {@code quadrants}. */
    record QuadrantCondition(boolean in, Set<Quadrant> quadrants) implements Condition {
        public QuadrantCondition {
            quadrants = Set.copyOf(quadrants);
        }
    }

    /**
     * {@code assigned} with no ids: has an owner; with ids: the owner is one of them; not
     * {@code assigned}: has no owner.
     */
    record OwnerCondition(boolean assigned, Set<Long> ownerIds) implements Condition {
        public OwnerCondition {
            ownerIds = Set.copyOf(ownerIds);
            if (!assigned && !ownerIds.isEmpty()) {
                throw new IllegalArgumentException("an unassigned owner has no ids");
            }
        }
    }

    /** The prospect is a member of the list. */
    record ListMembership(long listId) implements Condition {}

    /**
     * "Did {@code type} (any type when null) matching {@code filter} at least {@code atLeast} times
     * [within {@code withinDays} days]", or its exact opposite when {@code did} is false ("did not").
     * Bot activities never count. Within D days means occurred after now − D days (later ones count).
     */
    record ActivityCondition(ActivityType type, ActivityFilter filter, int atLeast, Long withinDays, boolean did)
            implements Condition {
        public ActivityCondition {
            filter = filter == null ? ActivityFilter.NONE : filter;
            if (atLeast < 1) {
                throw new IllegalArgumentException("atLeast must be at least 1");
            }
            if (withinDays != null && withinDays < 1) {
                throw new IllegalArgumentException("withinDays must be at least 1");
            }
        }
    }

    /**
     * Optional filters on an activity, all of which must hold: custom activity name and form name
     * (equal ignoring case), url contains (ignoring case), email id (exact), campaign id.
     */
    record ActivityFilter(String customName, String urlContains, String formName, String emailId, Long campaignId) {
        public static final ActivityFilter NONE = new ActivityFilter(null, null, null, null, null);
    }

    /**
     * Whole days since the last activity (floor of the elapsed time) compared with whole numbers (eq,
     * ne, gt, gte, lt, lte, between). A prospect with no activity at all never matches.
     */
    record DaysSinceLastActivity(Operator op, List<Long> operands) implements Condition {
        public DaysSinceLastActivity {
            operands = numeric(op, operands);
            if (operands.stream().anyMatch(d -> d < 0)) {
                throw new IllegalArgumentException("days must not be negative");
            }
        }

        /**
         * The condition as instants: whole days since {@code last} ≥ k exactly when
         * {@code last <= now - k days}, and ≤ k exactly when {@code last > now - (k+1) days}. Both
         * evaluators use these bounds, so they agree to the microsecond.
         */
        public Window window(java.time.Instant now) {
            long a = operands.get(0);
            return switch (op) {
                case EQ -> new Window(daysBefore(now, a), daysBefore(now, a + 1), false);
                case NE -> new Window(daysBefore(now, a), daysBefore(now, a + 1), true);
                case GT -> new Window(daysBefore(now, a + 1), null, false);
                case GTE -> new Window(daysBefore(now, a), null, false);
                case LT -> new Window(null, daysBefore(now, a), false);
                case LTE -> new Window(null, daysBefore(now, a + 1), false);
                case BETWEEN -> new Window(daysBefore(now, a), daysBefore(now, operands.get(1) + 1), false);
                default -> throw new IllegalStateException(op.name());
            };
        }

        private static java.time.Instant daysBefore(java.time.Instant now, long days) {
            return now.minus(java.time.Duration.ofDays(days));
        }

        /**
         * Last activity in {@code (after, atMost]} (a null bound is open), or outside it when
         * {@code negate}; a prospect never active is in no window and outside none.
         */
        public record Window(java.time.Instant atMost, java.time.Instant after, boolean negate) {
            public boolean holds(java.time.Instant last) {
                if (last == null) {
                    return false;
                }
                boolean inside = (atMost == null || !last.isAfter(atMost)) && (after == null || last.isAfter(after));
                return inside != negate;
            }
        }
    }

    /**
     * Any-opportunity semantics: true when at least one of the prospect's opportunities has one of
     * {@code statuses} (any when empty), was closed within {@code closedWithinDays} days, has an
     * amount of at least {@code minAmount}, the {@code type} (each when given) and one of {@code lostReasons} (any
     * when empty; an opportunity without a lost reason matches none). Under a
     * {@link Not} it means "has at least one opportunity, and none matches": a prospect with no
     * opportunity matches no opportunity condition, negated or not.
     */
    record OpportunityCondition(
            Set<OpportunityStatus> statuses,
            Long closedWithinDays,
            BigDecimal minAmount,
            OpportunityType type,
            Set<LostReason> lostReasons)
            implements Condition {
        public OpportunityCondition {
            statuses = Set.copyOf(statuses);
            lostReasons = Set.copyOf(lostReasons);
        }
    }

    /** Enrolled in the program (in the given state when {@code state} is not null). A placeholder until programs exist. */
    record ProgramState(long programId, String state) implements Condition {}

    private static List<Long> numeric(Operator op, List<Long> operands) {
        List<Long> copy = List.copyOf(operands);
        boolean allowed = switch (op) {
            case EQ, NE, GT, GTE, LT, LTE, BETWEEN -> true;
            default -> false;
        };
        if (!allowed || !op.accepts(copy.size())) {
            throw new IllegalArgumentException("bad numeric comparison " + op);
        }
        return copy;
    }
}
