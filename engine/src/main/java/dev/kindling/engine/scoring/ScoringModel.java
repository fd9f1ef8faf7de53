package dev.kindling.engine.scoring;

import java.util.List;

/** The rules and decay policy scores are computed with; {@code floor} is the lowest a score can fall. */
public record ScoringModel(List<ScoringRule> rules, DecayPolicy decay, int floor) {

    public static final int DEFAULT_FLOOR = 0;

    public ScoringModel {
        rules = List.copyOf(rules);
        if (decay == null) {
            decay = DecayPolicy.DEFAULT;
        }
    }
}
