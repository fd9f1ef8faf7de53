package dev.kindling.sales;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreachDigestTest {

    static BreachNotices.Breach breach(long prospect, String email, String owner) {
        Instant at = Instant.parse("2026-03-02T09:00:00Z");
        return new BreachNotices.Breach(prospect, null, prospect, email, "", 7, owner, 3L, at, at.plusSeconds(3600));
    }

    @Test
    void manyBreachesOfOneSweepAreOneMailWithTheLeadsGroupedByRep() {
        var notice = BreachNotices.digest(
                List.of(
                        breach(1, "a@x.example", "Sato"),
                        breach(2, "b@x.example", "Abe"),
                        breach(3, "c@x.example", "Sato")),
                BreachNotices.BREACHED);

        assertThat(notice.subject()).isEqualTo("SLA breached: 3 leads were not contacted in time");
        assertThat(notice.text())
                .containsSubsequence("Abe (1):", "- b@x.example", "Sato (2):", "- a@x.example", "- c@x.example");
    }

    @Test
    void manyLeadsFallingDueInOneSweepAreOneMailWithTheLeadsGroupedByRep() {
        var notice = BreachNotices.digest(
                List.of(breach(1, "a@x.example", "Sato"), breach(2, "b@x.example", "Abe")), BreachNotices.AT_RISK);

        assertThat(notice.event()).isEqualTo("sla.at_risk");
        assertThat(notice.subject()).isEqualTo("SLA at risk: 2 leads are due for a first contact soon");
        assertThat(notice.text())
                .startsWith("2 leads are falling due")
                .containsSubsequence(
                        "Abe (1):", "- b@x.example, due 2026-03-02T10:00:00Z", "Sato (1):", "- a@x.example");
    }

    @Test
    void aSingleBreachIsItsOwnNotice() {
        var notice = BreachNotices.digest(List.of(breach(1, "a@x.example", "Sato")), BreachNotices.BREACHED);

        assertThat(notice.subject()).contains("a@x.example");
    }
}
