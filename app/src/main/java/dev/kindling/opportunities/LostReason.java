package dev.kindling.opportunities;

import java.util.Locale;

/** Why a deal was lost: a fixed set, so the weekly review can count them. */
public enum LostReason {
    PRICE,
    COMPETITOR,
    NO_DECISION,
    TIMING,
    FEATURES,
    OTHER;

    /** The reason named {@code text} (case and surrounding blanks ignored), or null. */
    public static LostReason parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
