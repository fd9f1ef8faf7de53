package dev.kindling.engine.scoring;

import dev.kindling.engine.activity.Activity;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One prospect's score being worked on: the mutable twin of {@link ScoreState} that collects ledger
 * entries. Every change of the value goes through {@link #change}, which keeps the floor and the ledger
 * law (each entry's result is the previous result with the entry applied).
 */
final class Work {

    private final ScoringModel model;
    private final List<LedgerEntry> entries = new ArrayList<>();
    private int value;
    private Instant activityAt;
    private boolean inactivityApplied;
    private Integer halfLifeDays;
    private long period;
    private final TreeMap<Long, Integer> buckets;
    /** Persistent: each change shares all but its path with the state's memory, whatever its size. */
    private CapMemory caps;

    Work(ScoreState state, ScoringModel model) {
        this.model = model;
        this.value = state.value();
        this.activityAt = state.activityAt();
        this.inactivityApplied = state.inactivityApplied();
        this.halfLifeDays = state.halfLifeDays();
        this.period = state.period();
        this.buckets = new TreeMap<>(state.buckets());
        this.caps = CapMemory.of(state.caps());
        Integer h = model.decay().halfLifeDays();
        if (h == null ? halfLifeDays != null : !h.equals(halfLifeDays)) {
            // buckets counted with another half-life cannot be carried over: start afresh
            buckets.clear();
            halfLifeDays = h;
            period = 0;
        }
    }

    int value() {
        return value;
    }

    /** Applies a change of {@code delta}, never taking the score below the floor (or lower when already below). */
    void change(LedgerEntry.Kind kind, Instant at, int delta, Long ruleId, Long activityId, String reason) {
        int wanted = value + delta;
        int result = delta < 0 ? Math.max(wanted, Math.min(value, model.floor())) : wanted;
        if (result != value) {
            entries.add(new LedgerEntry(kind, at, result - value, null, result, ruleId, activityId, reason, null));
            value = result;
        }
    }

    /** Sets the score, with no floor: used for resets (to a value at or above the floor) and rescoring. */
    void set(LedgerEntry.Kind kind, Instant at, int target, String reason, Long undoes) {
        if (target != value || kind == LedgerEntry.Kind.RESET) {
            entries.add(new LedgerEntry(kind, at, target - value, target, target, null, null, reason, undoes));
            value = target;
        }
    }

    /** Adds a change that restores exactly, not floored (undoing a reset). */
    void restore(Instant at, int delta, String reason, long undoes) {
        entries.add(
                new LedgerEntry(LedgerEntry.Kind.RESET, at, delta, null, value + delta, null, null, reason, undoes));
        value += delta;
    }

    void clearBuckets() {
        buckets.clear();
    }

    /**
     * Scores one activity as if it had arrived when it occurred: decay due by then (or by {@code now}, for an activity
     * dated in the future) is applied first, then the points. Decay due after the activity is left for
     * {@link #decayUntil}, so the score read right after this call is the score as of the activity's occurrence.
     */
    void score(Activity activity, Instant now) {
        Instant occurred = activity.occurredAt();
        decayUntil(occurred.isBefore(now) ? occurred : now);
        for (ScoringRule rule : model.rules()) {
            if (!rule.matches(activity)) {
                continue;
            }
            int points = capped(rule, activity);
            if (points == 0) {
                continue;
            }
            change(LedgerEntry.Kind.ACTIVITY, now, points, rule.id(), activity.id(), rule.name());
            if (halfLifeDays != null) {
                halveBackDated(activity, points, now);
            }
        }
        if (activityAt == null || occurred.isAfter(activityAt)) {
            activityAt = occurred;
            inactivityApplied = false;
        }
    }

    /** Records the points in their period's bucket and takes at once what they would have lost by now. */
    private void halveBackDated(Activity activity, int points, Instant now) {
        long e = Math.min(Decay.period(activity.occurredAt(), halfLifeDays), period);
        long halvings = period - e;
        if (halvings >= Decay.MAX_HALVINGS) {
            change(LedgerEntry.Kind.DECAY, now, -points, null, activity.id(), "half-life: back-dated activity");
            return;
        }
        int before = buckets.getOrDefault(e, 0);
        int after = before + points;
        buckets.put(e, after);
        int lost = points - (Decay.halved(after, halvings) - Decay.halved(before, halvings));
        if (lost != 0) {
            change(LedgerEntry.Kind.DECAY, now, -lost, null, activity.id(), "half-life: back-dated activity");
        }
    }

    /** The points the rule gives this activity after its caps; the cap memory is updated. */
    private int capped(ScoringRule rule, Activity activity) {
        int points = rule.points();
        if (!rule.capped() || points == 0) {
            return points;
        }
        String occurrenceKey = null;
        int seen = 0;
        if (rule.occurrence() != null) {
            // the count of matches in the activity's window goes up whether or not this one scores
            long window = Math.floorDiv(activity.occurredAt().getEpochSecond(), rule.withinDays() * Decay.DAY_SECONDS);
            occurrenceKey = rule.id() + ":n:" + window;
            seen = caps.getOrDefault(occurrenceKey, 0) + 1;
            caps = caps.with(occurrenceKey, seen);
            if (seen != rule.occurrence()) {
                return 0;
            }
        }
        String firstKey = null;
        if (rule.firstTimeOnly()) {
            String keyValue =
                    rule.firstTimeKey() == null ? "" : activity.properties().getOrDefault(rule.firstTimeKey(), "");
            firstKey = rule.id() + ":f:" + keyValue;
            if (caps.containsKey(firstKey)) {
                return 0;
            }
        }
        String dayKey = null;
        int dayUsed = 0;
        if (rule.maxPointsPerDay() != null) {
            long day =
                    activity.occurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
            dayKey = rule.id() + ":d:" + day;
            dayUsed = caps.getOrDefault(dayKey, 0);
            int remaining = Math.max(0, rule.maxPointsPerDay() - Math.abs(dayUsed));
            points = Integer.signum(points) * Math.min(Math.abs(points), remaining);
            if (points == 0) {
                return 0;
            }
        }
        if (firstKey != null) {
            caps = caps.with(firstKey, points);
        }
        if (dayKey != null) {
            caps = caps.with(dayKey, dayUsed + points);
        }
        return points;
    }

    /** Applies, in time order, every decay that falls due up to {@code until}. */
    void decayUntil(Instant until) {
        while (true) {
            Instant inactivity = inactivityDue();
            Instant halfLife = halfLifeDue();
            if (inactivity != null
                    && !inactivity.isAfter(until)
                    && (halfLife == null || !halfLife.isBefore(inactivity))) {
                applyInactivity(inactivity);
            } else if (halfLife != null && !halfLife.isAfter(until)) {
                applyHalving(halfLife);
            } else {
                break;
            }
        }
        if (halfLifeDays != null) {
            // nothing left worth halving before `until`: the periods in between change nothing
            period = Math.max(period, Decay.period(until, halfLifeDays));
            buckets.headMap(period - Decay.MAX_HALVINGS, true).clear();
        }
    }

    private Instant inactivityDue() {
        Integer days = model.decay().inactivityDays();
        if (days == null || activityAt == null || inactivityApplied) {
            return null;
        }
        return activityAt.plusSeconds(days * Decay.DAY_SECONDS);
    }

    private Instant halfLifeDue() {
        if (halfLifeDays == null) {
            return null;
        }
        for (Map.Entry<Long, Integer> b : buckets.entrySet()) {
            if (Decay.halved(b.getValue(), period - b.getKey()) != 0) {
                return Decay.periodStart(period + 1, halfLifeDays);
            }
        }
        return null;
    }

    private void applyInactivity(Instant at) {
        inactivityApplied = true;
        DecayPolicy policy = model.decay();
        String reason = "inactivity: no activity for " + policy.inactivityDays() + " days";
        if (policy.inactivityAction() == DecayPolicy.InactivityAction.SET_TO_ZERO) {
            int target = Math.max(0, model.floor());
            if (value != target) {
                entries.add(new LedgerEntry(
                        LedgerEntry.Kind.DECAY, at, target - value, target, target, null, null, reason, null));
                value = target;
            }
            buckets.clear();
        } else {
            change(LedgerEntry.Kind.DECAY, at, -policy.subtractPoints(), null, null, reason);
        }
    }

    private void applyHalving(Instant at) {
        long before = Decay.worth(buckets, period);
        period++;
        long after = Decay.worth(buckets, period);
        change(
                LedgerEntry.Kind.DECAY,
                at,
                (int) (after - before),
                null,
                null,
                "half-life: points halve every " + halfLifeDays + " days");
    }

    Instant nextDecayAt() {
        Instant inactivity = inactivityDue();
        Instant halfLife = halfLifeDue();
        if (inactivity == null) {
            return halfLife;
        }
        return halfLife == null || inactivity.isBefore(halfLife) ? inactivity : halfLife;
    }

    ScoreState state() {
        return new ScoreState(value, activityAt, inactivityApplied, halfLifeDays, period, buckets, caps, nextDecayAt());
    }

    Decay.Scored result() {
        return new Decay.Scored(state(), entries);
    }

    /** Starts a fresh history from scratch at the given value (rescoring). */
    static Work fresh(ScoringModel model) {
        return new Work(ScoreState.EMPTY, model);
    }
}
