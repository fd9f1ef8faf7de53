package dev.kindling.grading;

import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.prospects.ProspectSignals;
import dev.kindling.prospects.ProspectView;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Stars, flames and quadrant of prospects, with the engine's rules and the current thresholds:
 * two queries per page of prospects (thresholds, points of the last 7 days), whatever its size.
 */
@Component
class DerivedSignals implements ProspectSignals {

    static final Duration FLAME_WINDOW = Duration.ofDays(7);

    private final LifecycleThresholds thresholds;
    private final RecentPoints recentPoints;
    private final Clock clock;

    DerivedSignals(LifecycleThresholds thresholds, RecentPoints recentPoints, Clock clock) {
        this.thresholds = thresholds;
        this.recentPoints = recentPoints;
        this.clock = clock;
    }

    @Override
    public Map<Long, Signals> of(List<ProspectView> prospects) {
        Thresholds t = thresholds.current();
        Map<Long, Long> points = recentPoints.since(
                prospects.stream().map(ProspectView::id).toList(),
                clock.instant().minus(FLAME_WINDOW));
        Map<Long, Signals> signals = new HashMap<>();
        for (ProspectView p : prospects) {
            signals.put(
                    p.id(),
                    signals(t, p.score(), Grade.parse(p.grade()).orElse(null), points.getOrDefault(p.id(), 0L)));
        }
        return signals;
    }

    static Signals signals(Thresholds t, int score, Grade grade, long recentPoints) {
        return new Signals(
                t.stars(score), t.flames(recentPoints), t.quadrant(grade, score).name());
    }
}
