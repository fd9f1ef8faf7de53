package dev.kindling.engine.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.LastActivityStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders shared by the scoring tests. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");

    private Fixtures() {}

    static ScoringModel model(ScoringRule... rules) {
        return new ScoringModel(List.of(rules), DecayPolicy.DEFAULT, 0);
    }

    static ScoringModel model(DecayPolicy decay, int floor, ScoringRule... rules) {
        return new ScoringModel(List.of(rules), decay, floor);
    }

    static Activity activity(long id, ActivityType type, Instant at, Map<String, String> properties) {
        return new Activity(id, type, null, at, null, properties, false);
    }

    static Activity activity(long id, ActivityType type, Instant at) {
        return activity(id, type, at, Map.of());
    }

    static ProspectState prospect() {
        return new ProspectState(7, LifecycleStage.CAPTURED, null);
    }

    static IntakeProcessor processor(ScoringModel model) {
        return new IntakeProcessor(List.of(new LastActivityStep(), new ScoringStep(() -> model)));
    }

    static List<LedgerEntry> entries(IntakeProcessor.Result result) {
        List<LedgerEntry> all = new ArrayList<>();
        for (IntakeEvent e : result.events()) {
            if (e instanceof IntakeEvent.ScoreChanged changed) {
                all.addAll(changed.entries());
            }
        }
        return all;
    }

    /** The ledger law: folding the entries from {@code start} gives each entry's result and the final score. */
    static int fold(int start, List<LedgerEntry> entries) {
        int value = start;
        for (LedgerEntry e : entries) {
            int next = e.applyTo(value);
            if (next != e.result() || next - value != e.delta()) {
                throw new AssertionError("entry " + e + " does not follow from " + value);
            }
            value = next;
        }
        return value;
    }

    static Instant days(long n) {
        return T0.plusSeconds(n * 86_400);
    }
}
