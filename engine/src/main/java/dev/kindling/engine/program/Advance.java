package dev.kindling.engine.program;

import java.util.List;

/** The result of a {@link ProgramRunner} decision: the enrollment's new state and the effects, in order. */
public record Advance(Enrollment enrollment, List<Effect> effects) {
    public Advance {
        effects = List.copyOf(effects);
    }
}
