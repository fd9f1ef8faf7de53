package dev.kindling.engine.crm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.crm.FieldSync.Action;
import dev.kindling.engine.crm.FieldSync.Decision;
import dev.kindling.engine.crm.FieldSync.Setting;
import dev.kindling.engine.crm.FieldSync.Side;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldSyncTest {

    static final Instant EARLY = Instant.parse("2030-01-01T10:00:00Z");
    static final Instant LATE = Instant.parse("2030-01-01T11:00:00Z");

    static Setting both(FieldRule rule) {
        return new Setting(rule, FieldDirection.BOTH, false);
    }

    static Decision conflict(FieldRule rule, Instant kindlingAt, Instant salesforceAt) {
        return FieldSync.decide(
                both(rule),
                new Side("Kindling title", kindlingAt),
                new Side("CRM title", salesforceAt),
                "Old title",
                false);
    }

    @Test
    void aConflictUnderKindlingWinsWritesKindlingsValueToSalesforce() {
        assertThat(conflict(FieldRule.KINDLING_WINS, EARLY, LATE))
                .isEqualTo(new Decision(Action.WRITE_SALESFORCE, "Kindling title"));
    }

    @Test
    void aConflictUnderSalesforceWinsWritesSalesforcesValueIntoKindling() {
        assertThat(conflict(FieldRule.SALESFORCE_WINS, LATE, EARLY))
                .isEqualTo(new Decision(Action.WRITE_KINDLING, "CRM title"));
    }

    @Test
    void aConflictUnderMostRecentFollowsTheFieldsChangeTimesAndSalesforceOnATie() {
        assertThat(conflict(FieldRule.MOST_RECENT, LATE, EARLY).action()).isEqualTo(Action.WRITE_SALESFORCE);
        assertThat(conflict(FieldRule.MOST_RECENT, EARLY, LATE).action()).isEqualTo(Action.WRITE_KINDLING);
        assertThat(conflict(FieldRule.MOST_RECENT, LATE, LATE).action()).isEqualTo(Action.WRITE_KINDLING);
        assertThat(conflict(FieldRule.MOST_RECENT, null, LATE).action()).isEqualTo(Action.WRITE_KINDLING);
        assertThat(conflict(FieldRule.MOST_RECENT, LATE, null).action()).isEqualTo(Action.WRITE_SALESFORCE);
    }

    @Test
    void aFieldThatIsNotSyncedIsNeverWritten() {
        assertThat(conflict(FieldRule.DONT_SYNC, EARLY, LATE).action()).isEqualTo(Action.NONE);
        assertThat(FieldSync.decide(
                                both(FieldRule.DONT_SYNC), new Side("new", LATE), new Side("old", EARLY), "old", false)
                        .action())
                .isEqualTo(Action.NONE);
    }

    @Test
    void aChangeOnOneSideOnlyReachesTheOtherWhateverTheRuleSoNothingReverts() {
        for (FieldRule rule :
                new FieldRule[] {FieldRule.KINDLING_WINS, FieldRule.SALESFORCE_WINS, FieldRule.MOST_RECENT}) {
            assertThat(FieldSync.decide(
                            both(rule), new Side("old", EARLY), new Side("new in CRM", EARLY), "old", false))
                    .isEqualTo(new Decision(Action.WRITE_KINDLING, "new in CRM"));
            assertThat(FieldSync.decide(
                            both(rule), new Side("new in Kindling", EARLY), new Side("old", LATE), "old", false))
                    .isEqualTo(new Decision(Action.WRITE_SALESFORCE, "new in Kindling"));
        }
    }

    @Test
    void aBlankInSalesforceNeverErasesKindlingsValueUnlessTheFieldAllowsIt() {
        Side kindling = new Side("+1 555 0100", EARLY);
        Side blank = new Side("  ", LATE);
        assertThat(FieldSync.decide(both(FieldRule.SALESFORCE_WINS), kindling, blank, "+1 555 0100", false)
                        .action())
                .isEqualTo(Action.NONE);
        assertThat(FieldSync.decide(
                        new Setting(FieldRule.SALESFORCE_WINS, FieldDirection.BOTH, true),
                        kindling,
                        blank,
                        "+1 555 0100",
                        false))
                .isEqualTo(new Decision(Action.WRITE_KINDLING, null));
    }

    @Test
    void theFirstSyncOfARecordTreatsDifferingValuesAsAConflictAndFillsBlanksFromTheOtherSide() {
        assertThat(FieldSync.decide(
                        both(FieldRule.KINDLING_WINS), new Side("A", null), new Side("B", null), null, true))
                .isEqualTo(new Decision(Action.WRITE_SALESFORCE, "A"));
        assertThat(FieldSync.decide(
                        both(FieldRule.KINDLING_WINS), new Side(null, null), new Side("B", null), null, true))
                .isEqualTo(new Decision(Action.WRITE_KINDLING, "B"));
    }

    @Test
    void oneWayFieldsFlowOnlyTheirWay() {
        Setting owner = new Setting(FieldRule.SALESFORCE_WINS, FieldDirection.TO_KINDLING, false);
        // an owner changed in Kindling is put back: the owner is Salesforce's
        assertThat(FieldSync.decide(
                        owner, new Side("kim@x.test", LATE), new Side("sam@x.test", EARLY), "sam@x.test", false))
                .isEqualTo(new Decision(Action.WRITE_KINDLING, "sam@x.test"));
        Setting score = new Setting(FieldRule.KINDLING_WINS, FieldDirection.TO_SALESFORCE, false);
        // a score edited in Salesforce is put back: Kindling computes it
        assertThat(FieldSync.decide(score, new Side("42", EARLY), new Side("7", LATE), "42", false))
                .isEqualTo(new Decision(Action.WRITE_SALESFORCE, "42"));
        assertThat(FieldSync.decide(score, new Side("50", EARLY), new Side("42", LATE), "42", false))
                .isEqualTo(new Decision(Action.WRITE_SALESFORCE, "50"));
    }

    /** Properties over random fields: after applying a decision both sides hold the same value, or nothing moved
     * for a stated reason (not synced, direction, protected blank). */
    @Test
    void randomFieldsNeverLoseAFilledValueToABlankAndConvergeWhenTheyWrite() {
        Random random = new Random(14);
        String[] values = {null, "", "a", "b", "c"};
        for (int i = 0, cases = PropertyRuns.cases(5_000, 100_000); i < cases; i++) {
            Setting setting = new Setting(
                    FieldRule.values()[random.nextInt(4)],
                    FieldDirection.values()[random.nextInt(3)],
                    random.nextBoolean());
            String k = values[random.nextInt(values.length)];
            String s = values[random.nextInt(values.length)];
            String base = values[random.nextInt(values.length)];
            Decision d = FieldSync.decide(
                    setting,
                    new Side(k, random.nextBoolean() ? EARLY : LATE),
                    new Side(s, random.nextBoolean() ? EARLY : LATE),
                    base,
                    random.nextInt(5) == 0);
            String kAfter = d.action() == Action.WRITE_KINDLING ? d.value() : k;
            String sAfter = d.action() == Action.WRITE_SALESFORCE ? d.value() : s;
            if (d.action() != Action.NONE) {
                assertThat(FieldSync.normal(kAfter)).isEqualTo(FieldSync.normal(sAfter));
            }
            if (!setting.blankMayOverwrite()) {
                if (FieldSync.normal(k) != null) {
                    assertThat(FieldSync.normal(kAfter)).isNotNull();
                }
                if (FieldSync.normal(s) != null) {
                    assertThat(FieldSync.normal(sAfter)).isNotNull();
                }
            }
            if (setting.rule() == FieldRule.DONT_SYNC) {
                assertThat(d.action()).isEqualTo(Action.NONE);
            }
            if (setting.direction() == FieldDirection.TO_KINDLING) {
                assertThat(d.action()).isNotEqualTo(Action.WRITE_SALESFORCE);
            }
            if (setting.direction() == FieldDirection.TO_SALESFORCE) {
                assertThat(d.action()).isNotEqualTo(Action.WRITE_KINDLING);
            }
        }
    }
}
