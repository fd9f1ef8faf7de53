package dev.kindling.engine.crm;

import java.time.Instant;
import java.util.Objects;

/**
 * The per-field sync decision. Each side's value is compared with the value last synced (the one both sides held
 * after the previous sync; {@code null} before the first): a side whose value differs from it changed. One side
 * changed → its value goes to the other; both changed to different values → the field's rule decides; a blank never
 * replaces a filled value unless the field allows it (then the blank is a change like any other); on the first sync
 * of a record a blank is no one's edit, so the other side's value fills it.
 */
public final class FieldSync {

    private FieldSync() {}

    /** What to do with one field. */
    public enum Action {
        /** Nothing to write (equal, unchanged, not synced, or a blank that may not overwrite). */
        NONE,
        /** Write {@link Decision#value()} into Kindling. */
        WRITE_KINDLING,
        /** Write {@link Decision#value()} into Salesforce. */
        WRITE_SALESFORCE
    }

    /** The decision and the value to write (blank values are {@code null}). */
    public record Decision(Action action, String value) {
        static final Decision NONE = new Decision(Action.NONE, null);
    }

    /** One side's current value of the field and when the field last changed there ({@code null} when unknown). */
    public record Side(String value, Instant changedAt) {}

    /** A mapped field's settings. */
    public record Setting(FieldRule rule, FieldDirection direction, boolean blankMayOverwrite) {

        public Setting {
            Objects.requireNonNull(rule);
            Objects.requireNonNull(direction);
        }
    }

    public static Decision decide(
            Setting setting, Side kindling, Side salesforce, String lastSynced, boolean neverSynced) {
        if (setting.rule() == FieldRule.DONT_SYNC) {
            return Decision.NONE;
        }
        String k = normal(kindling.value());
        String s = normal(salesforce.value());
        if (Objects.equals(k, s)) {
            return Decision.NONE;
        }
        String base = normal(lastSynced);
        boolean kChanged = neverSynced || !Objects.equals(k, base);
        boolean sChanged = neverSynced || !Objects.equals(s, base);
        boolean toSalesforce = setting.direction() != FieldDirection.TO_KINDLING;
        boolean toKindling = setting.direction() != FieldDirection.TO_SALESFORCE;
        boolean kindlingWins;
        if (setting.direction() == FieldDirection.TO_KINDLING) {
            kindlingWins = false;
        } else if (setting.direction() == FieldDirection.TO_SALESFORCE) {
            kindlingWins = true;
        } else if (kChanged && !sChanged) {
            kindlingWins = true;
        } else if (sChanged && !kChanged) {
            kindlingWins = false;
        } else {
            kindlingWins = switch (setting.rule()) {
                case KINDLING_WINS -> true;
                case SALESFORCE_WINS -> false;
                case MOST_RECENT -> laterThan(kindling.changedAt(), salesforce.changedAt());
                case DONT_SYNC -> throw new AssertionError();
            };
        }
        String value = kindlingWins ? k : s;
        String overwritten = kindlingWins ? s : k;
        if (value == null && overwritten != null && !setting.blankMayOverwrite()) {
            if (!neverSynced) {
                return Decision.NONE;
            }
            // a record met for the first time: its blank is no one's edit, so the filled value fills it
            kindlingWins = !kindlingWins;
            value = overwritten;
        }
        if (kindlingWins) {
            return toSalesforce ? new Decision(Action.WRITE_SALESFORCE, value) : Decision.NONE;
        }
        return toKindling ? new Decision(Action.WRITE_KINDLING, value) : Decision.NONE;
    }

    /** Kindling's change is later; on a tie or unknown times Salesforce, the sales system of record, wins. */
    private static boolean laterThan(Instant kindling, Instant salesforce) {
        if (kindling == null) {
            return false;
        }
        return salesforce == null || kindling.isAfter(salesforce);
    }

    /** Blank (null, empty, whitespace) is one value: no value. */
    static String normal(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
