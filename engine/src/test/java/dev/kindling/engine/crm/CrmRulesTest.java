package dev.kindling.engine.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.PropertyRuns;
import dev.kindling.engine.crm.CrmErrors.Handling;
import dev.kindling.engine.crm.CrmErrors.Parked;
import dev.kindling.engine.crm.Matching.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrmRulesTest {

    @Test
    void requestFailuresAreRetriedRefreshedStoppedParkedOrFailedByStatusAndCode() {
        assertThat(CrmErrors.ofRequest(400, "UNABLE_TO_LOCK_ROW", true)).isEqualTo(Handling.RETRY);
        assertThat(CrmErrors.ofRequest(503, null, false)).isEqualTo(Handling.RETRY);
        assertThat(CrmErrors.ofRequest(500, "UNKNOWN_EXCEPTION", true)).isEqualTo(Handling.RETRY);
        assertThat(CrmErrors.ofRequest(429, "REQUEST_LIMIT_EXCEEDED", true)).isEqualTo(Handling.RETRY);
        assertThat(CrmErrors.ofRequest(200, null, false)).isEqualTo(Handling.RETRY);
        assertThat(CrmErrors.ofRequest(401, "INVALID_SESSION_ID", true)).isEqualTo(Handling.REFRESH_TOKEN);
        assertThat(CrmErrors.ofRequest(403, "REQUEST_LIMIT_EXCEEDED", true)).isEqualTo(Handling.STOP);
        assertThat(CrmErrors.ofRequest(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", true))
                .isEqualTo(Handling.PARK);
        assertThat(CrmErrors.ofRequest(400, "MALFORMED_QUERY", true)).isEqualTo(Handling.FAIL);
        assertThat(CrmErrors.ofRequest(401, "SOMETHING_ELSE", true)).isEqualTo(Handling.FAIL);
    }

    @Test
    void recordErrorsAreParkedByKindExceptLocksWhichAreRetried() {
        assertThat(CrmErrors.ofRecord("UNABLE_TO_LOCK_ROW")).isEqualTo(Handling.RETRY);
        assertThat(CrmErrors.ofRecord("REQUIRED_FIELD_MISSING")).isEqualTo(Handling.PARK);
        assertThat(CrmErrors.kind("FIELD_CUSTOM_VALIDATION_EXCEPTION")).isEqualTo(Parked.VALIDATION);
        assertThat(CrmErrors.kind("REQUIRED_FIELD_MISSING")).isEqualTo(Parked.REQUIRED_FIELD);
        assertThat(CrmErrors.kind("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")).isEqualTo(Parked.PICKLIST);
        assertThat(CrmErrors.kind("DUPLICATES_DETECTED")).isEqualTo(Parked.DUPLICATE);
        assertThat(CrmErrors.kind("ENTITY_IS_DELETED")).isEqualTo(Parked.DELETED);
        assertThat(CrmErrors.kind("INSUFFICIENT_ACCESS_OR_READONLY")).isEqualTo(Parked.PERMISSION);
        assertThat(CrmErrors.kind("SOMETHING_NEW")).isEqualTo(Parked.OTHER);
    }

    @Test
    void backoffGrowsExponentiallyWithJitterWithinHalfToAllOfTheCeiling() {
        Random random = new Random(7);
        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = Math.min(30_000, 500L << attempt);
            for (int i = 0, samples = PropertyRuns.cases(1_000, 10_000); i < samples; i++) {
                Duration d = Backoff.delay(attempt, random.nextDouble());
                assertThat(d.toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
        assertThat(Backoff.delay(0, 0.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(Backoff.delay(3, 0.999_999).toMillis()).isEqualTo(3_999);
        assertThatThrownBy(() -> Backoff.delay(0, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLimitHeaderIsReadWithOrWithoutThePerAppPart() {
        assertThat(ApiBudget.parse("api-usage=18/5000")).isEqualTo(new ApiBudget.Usage(18, 5000));
        assertThat(ApiBudget.parse("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-app)"))
                .isEqualTo(new ApiBudget.Usage(25, 5000));
        assertThat(ApiBudget.parse("per-app-api-usage=17/250(appName=x)")).isNull();
        assertThat(ApiBudget.parse(null)).isNull();
    }

    @Test
    void theBudgetSpreadsKindlingsShareOverTheRestOfTheDayAndSaysWhenItSlowsTheSync() {
        ApiBudget.Usage usage = new ApiBudget.Usage(1_000, 100_000);
        // 20 % of 100,000 = 20,000; none used; 1,000 cycles left → 20 per cycle
        assertThat(ApiBudget.pace(usage, 20, 0, 1_000, 2)).isEqualTo(new ApiBudget.Pace(2, null));
        ApiBudget.Pace slowed = ApiBudget.pace(usage, 20, 0, 1_000, 500);
        assertThat(slowed.calls()).isEqualTo(20);
        assertThat(slowed.slowed()).isTrue();
        assertThat(slowed.limitedBy()).contains("20 of 500");
        ApiBudget.Pace spent = ApiBudget.pace(usage, 20, 20_000, 10, 1);
        assertThat(spent.calls()).isZero();
        assertThat(spent.limitedBy()).contains("share");
        ApiBudget.Pace orgSpent = ApiBudget.pace(new ApiBudget.Usage(100_000, 100_000), 20, 5, 10, 1);
        assertThat(orgSpent.calls()).isZero();
        assertThat(orgSpent.limitedBy()).contains("org");
        // a nearly exhausted share still allows one call per cycle while any remains
        assertThat(ApiBudget.pace(usage, 20, 19_999, 1_000, 3).calls()).isEqualTo(1);
    }

    @Test
    void matchingTakesTheStoredIdFirstThenTheBestRecordSharingTheEmail() {
        Instant early = Instant.parse("2030-01-01T00:00:00Z");
        Instant late = Instant.parse("2030-02-01T00:00:00Z");
        Candidate stored = new Candidate("Lead", SalesforceIds.to18("00Q5g0000000001"), false, early);
        Candidate leadNew = new Candidate("Lead", SalesforceIds.to18("00Q5g0000000002"), false, late);
        Candidate contactOld = new Candidate("Contact", SalesforceIds.to18("0035g0000000003"), false, early);
        Candidate contactNew = new Candidate("Contact", SalesforceIds.to18("0035g0000000004"), false, late);
        Candidate converted = new Candidate("Lead", SalesforceIds.to18("00Q5g0000000005"), true, late);
        assertThat(Matching.choose("00Q5g0000000001", List.of(stored), List.of(contactNew)))
                .contains(stored);
        assertThat(Matching.choose("00Q5g0000000001", List.of(), List.of(leadNew, contactOld, contactNew)))
                .contains(contactNew);
        assertThat(Matching.choose(null, List.of(), List.of(leadNew, contactOld)))
                .contains(contactOld);
        assertThat(Matching.choose(null, List.of(), List.of(converted))).isEmpty();
        assertThat(Matching.choose(null, List.of(), List.of(converted, leadNew)))
                .contains(leadNew);
    }

    @Test
    void salesforceIdsAreKeptInTheirEighteenCharacterForm() {
        assertThat(SalesforceIds.to18("0015000000Gv7qJ")).isEqualTo("0015000000Gv7qJAAR");
        assertThat(SalesforceIds.to18("0015000000Gv7qJAAR")).isEqualTo("0015000000Gv7qJAAR");
        assertThat(SalesforceIds.isValid("0015000000Gv7qJaar")).isTrue();
        assertThat(SalesforceIds.isValid("0015000000Gv7qJAAA")).isFalse();
        assertThat(SalesforceIds.isValid("001'; DROP")).isFalse();
        assertThat(SalesforceIds.isValid(null)).isFalse();
    }
}
