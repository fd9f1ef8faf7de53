package dev.kindling.engine.closedloop;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.grading.DefaultProfile;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.engine.scoring.Rescore;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.engine.scoring.ScoringRule;
import dev.kindling.engine.scoring.UrlPattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The closed-loop analysis of one cohort: actions, fit and the held-out validation. */
public final class ClosedLoop {

    /** Share of the cohort (the oldest by capture) the validation fits on; the rest is held out. */
    public static final double TRAIN_SHARE = 0.8;
    /** The fit fields analysed, with the grading field a suggested criterion reads. */
    public static final Map<String, String> FIT_FIELDS = linked(
            "industry",
            "industryOrAccount",
            "country",
            "countryOrAccount",
            "companySize",
            "employeesOrAccount",
            "seniority",
            "jobTitle",
            "department",
            "department");

    private ClosedLoop() {}

    /**
     * One prospect of the cohort.
     *
     * @param actions    the actions of its activities before its first opportunity (or all, without one)
     * @param activities those activities themselves; needed only for the held-out prospects (the current model is
     *                   replayed over them), so a caller may leave them out for the others ({@link #holdout})
     * @param fit        its fit values by {@link #FIT_FIELDS} key (absent: unknown)
     * @param cut        its first opportunity's creation, or the end of the period without one
     */
    public record Subject(
            long id,
            Instant capturedAt,
            boolean won,
            Set<Action> actions,
            List<Activity> activities,
            Map<String, String> fit,
            Instant cut) {

        /** A subject with its actions read from its activities. */
        public static Subject of(
                long id,
                Instant capturedAt,
                boolean won,
                List<Activity> activities,
                Map<String, String> fit,
                Instant cut) {
            return new Subject(id, capturedAt, won, Action.of(activities), activities, fit, cut);
        }
    }

    /** The ids of the held-out prospects: the newest {@code 1 − }{@value #TRAIN_SHARE} by capture time (then id). */
    public static Set<Long> holdout(Map<Long, Instant> capturedAt) {
        List<Map.Entry<Long, Instant>> sorted = capturedAt.entrySet().stream()
                .sorted(Map.Entry.<Long, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        Set<Long> ids = new java.util.HashSet<>();
        for (int i = trainSize(sorted.size()); i < sorted.size(); i++) {
            ids.add(sorted.get(i).getKey());
        }
        return ids;
    }

    private static int trainSize(int cohort) {
        return (int) Math.floor(cohort * TRAIN_SHARE);
    }

    /**
     * An action's row. {@code rule} is the scoring-rule body that takes the action's points from current to suggested
     * ({@code null}: nothing to change, or no rule can express it); with a {@code ruleId} it is that existing rule
     * (the one scoring exactly this action) with its points changed, else a new rule giving the difference.
     */
    public record ActionRow(
            Action action,
            long prospects,
            long won,
            double closeRate,
            Double lift,
            int suggestedPoints,
            int currentPoints,
            Map<String, Object> rule,
            Long ruleId) {}

    /** The actions done by fewer than minProspects prospects, counted together. */
    public record Pooled(int actions, long prospects, long won, double closeRate, Double lift) {}

    /** A fit value's row; {@code criterion} is the grading criterion it suggests, or {@code null}. */
    public record FitRow(
            String field,
            String value,
            long prospects,
            long won,
            double closeRate,
            Double lift,
            Map<String, Object> criterion) {}

    public record Validation(
            long holdoutProspects,
            long holdoutWon,
            Double currentModelAuc,
            Double suggestedModelAuc,
            boolean trustworthy,
            String note) {}

    public record Result(
            long cohort,
            long won,
            double averageCloseRate,
            List<ActionRow> actions,
            Pooled pooled,
            List<FitRow> fit,
            Validation validation) {}

    /** An action's counts: prospects who did it and won, over the cohort and over its fitting part (the oldest). */
    public record ActionCount(Action action, long prospects, long won, long trainProspects, long trainWon) {}

    /**
     * The cohort's actions counted, which is all the analysis needs of them besides the held-out prospects' own
     * actions: per action, and {@code pooledProspects}/{@code pooledWon}, the prospects who did at least one action
     * done by fewer than {@code minProspects} prospects, and how many of them won. A caller may count them where the
     * activities are (the app: in SQL) or from the subjects ({@link #of}); the results are the same.
     */
    public record ActionCounts(List<ActionCount> actions, long pooledProspects, long pooledWon) {

        /** The counts of the subjects' actions (the training part: all but {@link #holdout}). */
        public static ActionCounts of(List<Subject> cohort, int minProspects) {
            Map<Long, Instant> captured = new HashMap<>();
            cohort.forEach(s -> captured.put(s.id(), s.capturedAt()));
            Set<Long> held = holdout(captured);
            Map<Action, long[]> counts = new LinkedHashMap<>();
            for (Subject s : cohort) {
                boolean train = !held.contains(s.id());
                for (Action a : s.actions()) {
                    long[] c = counts.computeIfAbsent(a, k -> new long[4]);
                    c[0]++;
                    c[1] += s.won() ? 1 : 0;
                    c[2] += train ? 1 : 0;
                    c[3] += train && s.won() ? 1 : 0;
                }
            }
            Set<Long> pooled = new java.util.HashSet<>();
            long pooledWon = 0;
            for (Subject s : cohort) {
                if (s.actions().stream().anyMatch(a -> counts.get(a)[0] < minProspects) && pooled.add(s.id())) {
                    pooledWon += s.won() ? 1 : 0;
                }
            }
            List<ActionCount> actions = new ArrayList<>();
            counts.forEach((a, c) -> actions.add(new ActionCount(a, c[0], c[1], c[2], c[3])));
            return new ActionCounts(actions, pooled.size(), pooledWon);
        }
    }

    public static Result analyse(List<Subject> cohort, int minProspects, ScoringModel current) {
        return analyse(cohort, ActionCounts.of(cohort, minProspects), minProspects, current);
    }

    /**
     * The analysis from the cohort's action counts. Of the subjects, their outcome, capture, fit and cut are read;
     * their actions and activities only for the held-out ones ({@link #holdout}), which may be all a caller fills.
     */
    public static Result analyse(List<Subject> cohort, ActionCounts counts, int minProspects, ScoringModel current) {
        long won = cohort.stream().filter(Subject::won).count();
        double average = Stats.closeRate(won, cohort.size());
        List<ActionRow> rows = new ArrayList<>();
        int pooledActions = 0;
        for (ActionCount c : counts.actions()) {
            if (c.prospects() >= minProspects) {
                double rate = Stats.closeRate(c.won(), c.prospects());
                int points = Stats.suggestedPoints(c.won(), c.prospects(), average);
                int now = currentPoints(c.action(), current);
                ScoringRule exact = exactRule(c.action(), current);
                int rulePoints = points - now + (exact == null ? 0 : exact.points());
                Map<String, Object> body =
                        points == now || rulePoints < ScoringRule.MIN_POINTS || rulePoints > ScoringRule.MAX_POINTS
                                ? null
                                : ruleBody(c.action(), rulePoints);
                rows.add(new ActionRow(
                        c.action(),
                        c.prospects(),
                        c.won(),
                        rate,
                        Stats.lift(rate, average),
                        points,
                        now,
                        body,
                        body == null || exact == null ? null : exact.id()));
            } else {
                pooledActions++;
            }
        }
        rows.sort(Comparator.comparing((ActionRow r) -> r.lift() == null ? 0 : r.lift())
                .reversed()
                .thenComparing(r -> r.action().label()));
        double pooledRate = Stats.closeRate(counts.pooledWon(), counts.pooledProspects());
        Pooled pooled = new Pooled(
                pooledActions,
                counts.pooledProspects(),
                counts.pooledWon(),
                pooledRate,
                Stats.lift(pooledRate, average));
        return new Result(
                cohort.size(),
                won,
                average,
                rows,
                pooled,
                fit(cohort, average, minProspects),
                validate(cohort, counts, minProspects, current));
    }

    /**
     * The points the current model gives the action: the rules matching an activity with its facet (without an
     * occurrence condition) for a facet action; the rules with exactly its occurrence and window for a band.
     */
    public static int currentPoints(Action action, ScoringModel model) {
        Activity example = action.example(Instant.EPOCH);
        int points = 0;
        for (ScoringRule rule : model.rules()) {
            boolean sameBand = action.band()
                    ? action.atLeast().equals(rule.occurrence())
                            && action.withinDays().equals(rule.withinDays())
                    : rule.occurrence() == null;
            if (sameBand && rule.matches(example)) {
                points += rule.points();
            }
        }
        return points;
    }

    /**
     * The rule that scores exactly this action and nothing else: its type, the facet as its only filter (a URL path
     * as its pattern), the band as its occurrence, no caps. {@code null} when there is none.
     */
    static ScoringRule exactRule(Action action, ScoringModel model) {
        for (ScoringRule r : model.rules()) {
            if (r.type() != action.type()
                    || r.maxPointsPerDay() != null
                    || r.firstTimeOnly()
                    || !java.util.Objects.equals(r.occurrence(), action.atLeast())
                    || !java.util.Objects.equals(r.withinDays(), action.withinDays())) {
                continue;
            }
            String facet = action.band() ? null : action.facet();
            if (same(r.urlPattern() == null ? null : r.urlPattern().text(), "urlPath", facet, action.value())
                    && same(r.formName(), "formName", facet, action.value())
                    && same(r.assetName(), "assetName", facet, action.value())
                    && same(r.emailId(), "emailId", facet, action.value())
                    && same(
                            r.campaignId() == null ? null : r.campaignId().toString(),
                            "campaignId",
                            facet,
                            action.value())
                    && (r.type() != dev.kindling.engine.activity.ActivityType.CUSTOM
                            || same(r.customName(), "customName", facet, action.value()))) {
                return r;
            }
        }
        return null;
    }

    private static boolean same(String filter, String name, String facet, String value) {
        return name.equals(facet) ? value.equals(filter) : filter == null;
    }

    /** The body of {@code POST /api/v1/scoring-rules} that scores the action, or {@code null} if none can. */
    public static Map<String, Object> ruleBody(Action action, int points) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Closed loop: " + action.label());
        body.put("activityType", action.type().name());
        if (action.band()) {
            body.put("occurrence", (long) action.atLeast());
            body.put("withinDays", (long) action.withinDays());
        } else if (action.facet() != null) {
            int max = action.facet().equals("customName") ? 100 : 500;
            if (action.value().length() > max
                    || action.value().chars().anyMatch(Character::isISOControl)
                    || !action.value().strip().equals(action.value())) {
                return null; // the rules API would not take it as a filter
            }
            switch (action.facet()) {
                case "urlPath" -> {
                    if (UrlPattern.problem(action.value()) != null) {
                        return null;
                    }
                    body.put("urlPattern", action.value());
                }
                case "campaignId" -> body.put("campaignId", Long.valueOf(action.value()));
                default -> body.put(action.facet(), action.value());
            }
        }
        body.put("points", (long) points);
        if (((String) body.get("name")).length() > 200) {
            body.put("name", ((String) body.get("name")).substring(0, 200));
        }
        return body;
    }

    static List<FitRow> fit(List<Subject> cohort, double average, int minProspects) {
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        for (Subject s : cohort) {
            s.fit().forEach((field, value) -> {
                if (value != null && FIT_FIELDS.containsKey(field)) {
                    long[] c = counts.computeIfAbsent(List.of(field, value), k -> new long[2]);
                    c[0]++;
                    if (s.won()) {
                        c[1]++;
                    }
                }
            });
        }
        List<FitRow> rows = new ArrayList<>();
        counts.forEach((key, c) -> {
            if (c[0] >= minProspects) {
                double rate = Stats.closeRate(c[1], c[0]);
                Double lift = Stats.lift(rate, average);
                rows.add(new FitRow(
                        key.get(0),
                        key.get(1),
                        c[0],
                        c[1],
                        rate,
                        lift,
                        criterion(key.get(0), key.get(1), Stats.criterionWeight(lift))));
            }
        });
        rows.sort(Comparator.comparing((FitRow r) -> r.lift() == null ? 0 : r.lift())
                .reversed()
                .thenComparing(FitRow::field)
                .thenComparing(FitRow::value));
        return rows;
    }

    /** The longest value a suggested criterion tests (a longer one is not suggested). */
    static final int MAX_VALUE = 200;

    /**
     * The grading criterion body a fit value suggests ({@code label, condition, weight}, the condition in the
     * condition language's JSON form), or {@code null} (weight 0, or not expressible).
     */
    static Map<String, Object> criterion(String field, String value, int weight) {
        if (weight == 0 || value.length() > MAX_VALUE) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String label = "Closed loop: " + field + " " + value;
        body.put(
                "label",
                label.length() > dev.kindling.engine.grading.Criterion.MAX_LABEL
                        ? label.substring(0, dev.kindling.engine.grading.Criterion.MAX_LABEL)
                        : label);
        String name = FIT_FIELDS.get(field);
        Map<String, Object> condition;
        switch (field) {
            case "companySize" -> {
                int[] range = Fit.sizeRange(value);
                if (range == null) {
                    return null;
                }
                condition = range[1] < 0
                        ? leaf(name, "gte", (long) range[0])
                        : leaf(name, "between", List.of((long) range[0], (long) range[1]));
            }
            case "seniority" -> {
                if (!Fit.SENIOR.equals(value)) {
                    return null;
                }
                condition = Map.of(
                        "any",
                        DefaultProfile.SENIOR_TITLES.stream()
                                .map(w -> leaf(name, "contains", w))
                                .toList());
            }
            default -> condition = leaf(name, "in", List.of(value));
        }
        body.put("condition", condition);
        body.put("weight", (long) weight);
        return body;
    }

    private static Map<String, Object> leaf(String field, String op, Object value) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("field", field);
        leaf.put("op", op);
        leaf.put("value", value);
        return leaf;
    }

    /**
     * Fits the suggested points on the oldest {@value #TRAIN_SHARE} of the cohort by capture time and reports, on
     * the newest rest, the AUC of the current model (its rules and caps replayed over the same activities, without
     * decay, since the prospects' cut instants differ) and of the suggested points (the sum of the points of the
     * distinct actions done).
     */
    public static Validation validate(List<Subject> cohort, int minProspects, ScoringModel current) {
        return validate(cohort, ActionCounts.of(cohort, minProspects), minProspects, current);
    }

    /** {@link #validate(List, int, ScoringModel)} with the points fitted on the counts' training part. */
    static Validation validate(List<Subject> cohort, ActionCounts counts, int minProspects, ScoringModel current) {
        List<Subject> sorted = cohort.stream()
                .sorted(Comparator.comparing(Subject::capturedAt).thenComparingLong(Subject::id))
                .toList();
        int train = trainSize(sorted.size());
        List<Subject> fitOn = sorted.subList(0, train);
        List<Subject> holdout = sorted.subList(train, sorted.size());
        double average = Stats.closeRate(fitOn.stream().filter(Subject::won).count(), fitOn.size());
        Map<Action, Integer> points = new HashMap<>();
        for (ActionCount c : counts.actions()) {
            if (c.trainProspects() >= minProspects) {
                points.put(c.action(), Stats.suggestedPoints(c.trainWon(), c.trainProspects(), average));
            }
        }
        ScoringModel undecayed = new ScoringModel(
                current.rules(),
                new DecayPolicy(null, DecayPolicy.InactivityAction.SET_TO_ZERO, 0, null),
                current.floor());
        List<Stats.Scored> currentScores = new ArrayList<>();
        List<Stats.Scored> suggestedScores = new ArrayList<>();
        for (Subject s : holdout) {
            int replayed = Rescore.replay(ScoreState.EMPTY, undecayed, s.activities(), null, 0, s.cut())
                    .after();
            currentScores.add(new Stats.Scored(replayed, s.won()));
            int suggested = 0;
            for (Action a : s.actions()) {
                suggested += points.getOrDefault(a, 0);
            }
            suggestedScores.add(new Stats.Scored(suggested, s.won()));
        }
        long won = holdout.stream().filter(Subject::won).count();
        long lost = holdout.size() - won;
        boolean trustworthy = won >= Stats.MIN_OUTCOMES && lost >= Stats.MIN_OUTCOMES;
        String note = trustworthy
                ? "Fitted on the " + fitOn.size() + " oldest prospects, checked on the " + holdout.size() + " newest."
                : "Too few outcomes to trust: the " + holdout.size() + " held-out prospects include " + won
                        + " won and " + lost + " not won; at least " + Stats.MIN_OUTCOMES + " of each are needed.";
        return new Validation(
                holdout.size(), won, Stats.auc(currentScores), Stats.auc(suggestedScores), trustworthy, note);
    }

    private static Map<String, String> linked(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Fit values as the closed loop groups them. */
    public static final class Fit {

        public static final String SENIOR = "senior";
        public static final String OTHER = "other";
        private static final int[][] SIZES = {{1, 9}, {10, 49}, {50, 249}, {250, 999}, {1000, -1}};

        private Fit() {}

        /** "1-9", "10-49", "50-249", "250-999", "1000+", or {@code null} when unknown. */
        public static String sizeBand(Integer employees) {
            if (employees == null || employees < 1) {
                return null;
            }
            for (int[] r : SIZES) {
                if (r[1] < 0 || employees <= r[1]) {
                    if (employees >= r[0]) {
                        return r[1] < 0 ? r[0] + "+" : r[0] + "-" + r[1];
                    }
                }
            }
            return null;
        }

        static int[] sizeRange(String band) {
            for (int[] r : SIZES) {
                if (band.equals(r[1] < 0 ? r[0] + "+" : r[0] + "-" + r[1])) {
                    return r;
                }
            }
            return null;
        }

        /** "senior" when the job title holds a word of the default profile's senior titles, else "other". */
        public static String seniority(String jobTitle) {
            if (jobTitle == null || jobTitle.isBlank()) {
                return null;
            }
            String t = jobTitle.toLowerCase(Locale.ROOT);
            for (String word : DefaultProfile.SENIOR_TITLES) {
                if (t.contains(word.toLowerCase(Locale.ROOT))) {
                    return SENIOR;
                }
            }
            return OTHER;
        }
    }
}
