package dev.kindling.prospects;

import java.util.List;
import java.util.Map;

/**
 * Derives a prospect's signals from its score and grade — stars, flames, quadrant — for a page of
 * prospects at once. Implemented by grading; the seam keeps prospects free of a dependency on it.
 */
public interface ProspectSignals {

    /** Stars 1–3, flames 0–3, quadrant HOT / NURTURE / SCREEN / DISCARD. */
    record Signals(int stars, int flames, String quadrant) {}

    /** The signals of each of these prospects, by id. */
    Map<Long, Signals> of(List<ProspectView> prospects);
}
