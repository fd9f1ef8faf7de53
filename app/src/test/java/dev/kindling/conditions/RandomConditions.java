package dev.kindling.conditions;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.ActivityCondition;
import dev.kindling.engine.condition.Condition.ActivityFilter;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.DaysSinceLastActivity;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.GradeCondition;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.OpportunityCondition;
import dev.kindling.engine.condition.Condition.OwnerCondition;
import dev.kindling.engine.condition.Condition.QuadrantCondition;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Condition.StageCondition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.GradeOrder;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.CustomFieldType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random conditions over every leaf kind SQL supports (opportunities included), with operands drawn from
 * {@link RandomProspects}' pools.
 */
final class RandomConditions {

    static final Map<String, CustomField> CUSTOM_FIELDS = Map.of(
            "budget", new CustomField(1, "budget", "Budget", CustomFieldType.NUMBER, List.of()),
            "tier", new CustomField(2, "tier", "Tier", CustomFieldType.PICKLIST, List.of("a")),
            "renewal", new CustomField(3, "renewal", "Renewal", CustomFieldType.DATE, List.of()),
            "vip", new CustomField(4, "vip", "VIP", CustomFieldType.BOOLEAN, List.of()));
    private static final List<String> FIELDS = List.of(
            "industry",
            "jobTitle",
            "company",
            "country",
            "source",
            "firstName",
            "account.industry",
            "account.name",
            "account.tier",
            "custom.tier",
            "employees",
            "account.employees",
            "custom.budget",
            "createdAt",
            "capturedAt",
            "lastActivityAt",
            "custom.renewal",
            "optedOut",
            "doNotEmail",
            "hardBounced",
            "custom.vip");

    private final Random random;
    private final RandomProspects values;
    private final List<Long> owners;
    private final List<Long> lists;

    RandomConditions(Random random, List<Long> owners) {
        this(random, owners, List.of());
    }

    /** With list membership leaves over {@code lists} too (none when empty). */
    RandomConditions(Random random, List<Long> owners, List<Long> lists) {
        this.random = random;
        this.values = new RandomProspects(random);
        this.owners = owners;
        this.lists = lists;
    }

    Condition condition(int depth) {
        if (depth < 4 && random.nextInt(100) < 40) {
            return switch (random.nextInt(3)) {
                case 0 -> new All(children(depth));
                case 1 -> new Any(children(depth));
                default -> new Not(condition(depth + 1));
            };
        }
        return leaf();
    }

    private List<Condition> children(int depth) {
        List<Condition> children = new ArrayList<>();
        int count = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            children.add(condition(depth + 1));
        }
        return children;
    }

    private Condition leaf() {
        return switch (random.nextInt(lists.isEmpty() ? 13 : 14)) {
            case 0, 1, 2, 3 -> field();
            case 12 -> opportunity();
            case 13 -> new dev.kindling.engine.condition.Condition.ListMembership(values.pick(lists));
            case 4 -> {
                Operator op = numericOp();
                yield new ScoreCondition(op, numbers(op, List.of(0L, 49L, 50L, 51L, 100L, 120L)));
            }
            case 5 -> grade();
            case 6 ->
                new StageCondition(
                        random.nextBoolean(),
                        subset(List.of(LifecycleStage.values()).subList(1, 9)));
            case 7 -> new QuadrantCondition(random.nextBoolean(), subset(List.of(Quadrant.values())));
            case 8 ->
                switch (random.nextInt(3)) {
                    case 0 -> new OwnerCondition(false, Set.of());
                    case 1 -> new OwnerCondition(true, Set.of());
                    default -> new OwnerCondition(true, subset(owners));
                };
            case 9, 10 -> activity();
            default -> {
                Operator op = numericOp();
                yield new DaysSinceLastActivity(op, numbers(op, RandomProspects.DAY_COUNTS));
            }
        };
    }

    private Operator numericOp() {
        return values.pick(List.of(
                Operator.EQ, Operator.NE, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.BETWEEN));
    }

    private List<Long> numbers(Operator op, List<Long> pool) {
        long a = values.pick(pool);
        long b = values.pick(pool);
        return op == Operator.BETWEEN ? List.of(Math.min(a, b), Math.max(a, b)) : List.of(a);
    }

    private <T> Set<T> subset(List<T> pool) {
        Set<T> chosen = new HashSet<>();
        int count = 1 + random.nextInt(Math.min(3, pool.size()));
        while (chosen.size() < count) {
            chosen.add(values.pick(pool));
        }
        return chosen;
    }

    private Condition grade() {
        Operator op = values.pick(List.of(
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
                Operator.IS_NOT_EMPTY));
        List<String> grades = switch (op.arity()) {
            case NONE -> List.of();
            case ONE -> List.of(values.pick(GradeOrder.GRADES));
            case TWO -> {
                int a = random.nextInt(13);
                int b = random.nextInt(13);
                yield List.of(GradeOrder.GRADES.get(Math.min(a, b)), GradeOrder.GRADES.get(Math.max(a, b)));
            }
            case MANY -> List.copyOf(subset(GradeOrder.GRADES));
        };
        return new GradeCondition(op, grades);
    }

    private Condition field() {
        String field = values.pick(FIELDS);
        FieldType type = ConditionFields.typeOf(field, CUSTOM_FIELDS);
        Operator op = values.pick(List.copyOf(type.operators()));
        int count = switch (op.arity()) {
            case NONE -> 0;
            case ONE -> 1;
            case TWO -> 2;
            case MANY -> 1 + random.nextInt(3);
        };
        List<Object> operands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            operands.add(operand(type, op));
        }
        if (op == Operator.BETWEEN && compare(operands.get(0), operands.get(1)) > 0) {
            operands = List.of(operands.get(1), operands.get(0));
        }
        return new FieldCondition(field, type, op, operands);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private Object operand(FieldType type, Operator op) {
        if (op == Operator.OLDER_THAN_DAYS || op == Operator.WITHIN_DAYS) {
            return values.pick(RandomProspects.DAY_COUNTS);
        }
        return switch (type) {
            case TEXT -> {
                String text = values.pick(
                        RandomProspects.TEXTS.stream().filter(t -> !t.isEmpty()).toList());
                if ((op == Operator.CONTAINS || op == Operator.STARTS_WITH || op == Operator.ENDS_WITH)
                        && text.length() > 1
                        && random.nextBoolean()) {
                    int start = op == Operator.STARTS_WITH ? 0 : random.nextInt(text.length() - 1);
                    int end = op == Operator.ENDS_WITH
                            ? text.length()
                            : start + 1 + random.nextInt(text.length() - start - 1);
                    text = text.substring(start, end);
                }
                yield random.nextInt(4) == 0 ? text.toUpperCase(java.util.Locale.ROOT) : text;
            }
            case NUMBER -> new BigDecimal(values.pick(List.of("0", "10", "10.0", "10.5", "99", "100", "101", "5000")));
            case DATE ->
                random.nextBoolean()
                        ? values.instant()
                        : values.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
            case BOOLEAN -> random.nextBoolean();
        };
    }

    private Condition opportunity() {
        Set<OpportunityStatus> statuses =
                random.nextInt(4) == 0 ? Set.of() : subset(List.of(OpportunityStatus.values()));
        Long closedWithin = random.nextBoolean() ? null : values.pick(List.of(1L, 7L, 30L, 90L, 365L));
        BigDecimal minAmount = random.nextBoolean() ? null : new BigDecimal(values.pick(RandomProspects.MIN_AMOUNTS));
        OpportunityType type = random.nextInt(3) > 0 ? null : values.pick(List.of(OpportunityType.values()));
        Set<ProspectFacts.LostReason> lostReasons =
                random.nextInt(3) > 0 ? Set.of() : subset(List.of(ProspectFacts.LostReason.values()));
        return new OpportunityCondition(statuses, closedWithin, minAmount, type, lostReasons);
    }

    private Condition activity() {
        ActivityType type = random.nextInt(5) == 0 ? null : values.pick(RandomProspects.TYPES);
        ActivityFilter filter = new ActivityFilter(
                type == ActivityType.CUSTOM && random.nextBoolean() ? values.pick(RandomProspects.CUSTOM_NAMES) : null,
                random.nextInt(4) == 0 ? values.pick(List.of("pricing", "PRICING", "ärzte", "/")) : null,
                random.nextInt(5) == 0 ? values.pick(RandomProspects.FORMS).toUpperCase(java.util.Locale.ROOT) : null,
                random.nextInt(6) == 0 ? values.pick(RandomProspects.EMAIL_IDS) : null,
                random.nextInt(6) == 0 ? (long) (1 + random.nextInt(2)) : null);
        int atLeast = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 1;
        Long within = random.nextBoolean() ? null : values.pick(List.of(1L, 7L, 30L, 90L, 365L));
        return new ActivityCondition(type, filter, atLeast, within, random.nextInt(3) > 0);
    }
}
