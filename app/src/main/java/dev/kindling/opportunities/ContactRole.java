package dev.kindling.opportunities;

import java.util.Locale;

/** What a prospect is on an opportunity (SPEC §1, as Salesforce's opportunity contact roles). */
public enum ContactRole {
    DECISION_MAKER,
    ECONOMIC_BUYER,
    EVALUATOR,
    INFLUENCER,
    OTHER;

    /** The role named {@code text} (case and surrounding blanks ignored), or null. */
    public static ContactRole parse(String text) {
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
