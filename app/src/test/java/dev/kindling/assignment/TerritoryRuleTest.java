package dev.kindling.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.PropertyRuns;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TerritoryRuleTest {

    @Test
    void anEarlierRuleCoversALaterOneOnlyWhenItTakesEveryProspectTheLaterWould() {
        TerritoryRule germany = TerritoryRule.of(List.of("DE"), List.of(), null, null);
        TerritoryRule bigGermanSoftware = TerritoryRule.of(List.of("de"), List.of("Software"), 1000, null);
        TerritoryRule anySoftware = TerritoryRule.of(List.of(), List.of("software"), null, null);
        assertThat(germany.covers(bigGermanSoftware)).isTrue();
        assertThat(bigGermanSoftware.covers(germany)).isFalse();
        assertThat(anySoftware.covers(bigGermanSoftware))
                .as("industries compare without case")
                .isTrue();
        assertThat(germany.covers(anySoftware))
                .as("any country is wider than one")
                .isFalse();
        assertThat(TerritoryRule.of(List.of(), List.of(), 10, 100)
                        .covers(TerritoryRule.of(List.of(), List.of(), 10, null)))
                .isFalse();
        assertThat(TerritoryRule.of(List.of(), List.of(), null, null).empty()).isTrue();
    }

    /** covers agrees with matching: if a covers b, every prospect b matches, a matches too. */
    @Test
    void coveringAgreesWithMatchingOnGeneratedRulesAndProspects() {
        Random random = new Random(20261122L);
        List<String> countries = List.of("DE", "FR", "US");
        List<String> industries = List.of("software", "finance");
        for (int n = 0, cases = PropertyRuns.cases(500, 10_000); n < cases; n++) {
            long seed = random.nextLong();
            Random r = new Random(seed);
            TerritoryRule a = rule(r, countries, industries);
            TerritoryRule b = rule(r, countries, industries);
            if (!a.covers(b)) {
                continue;
            }
            for (String country : countries) {
                for (String industry : industries) {
                    for (int employees : new int[] {0, 9, 10, 50, 100, 101, 5000}) {
                        if (matches(b, country, industry, employees)) {
                            assertThat(matches(a, country, industry, employees))
                                    .as("case seed %d", seed)
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    private static TerritoryRule rule(Random r, List<String> countries, List<String> industries) {
        List<String> c = countries.stream().filter(x -> r.nextInt(3) == 0).toList();
        List<String> i = industries.stream().filter(x -> r.nextInt(3) == 0).toList();
        Integer min = r.nextBoolean() ? null : List.of(0, 10, 50, 100).get(r.nextInt(4));
        Integer max = r.nextBoolean() ? null : List.of(50, 100, 5000).get(r.nextInt(3));
        if (min != null && max != null && min > max) {
            max = null;
        }
        return TerritoryRule.of(c, i, min, max);
    }

    /** The assignment query's matching, restated. */
    private static boolean matches(TerritoryRule t, String country, String industry, int employees) {
        return (t.countries().isEmpty() || t.countries().contains(country.toLowerCase()))
                && (t.industries().isEmpty() || t.industries().contains(industry))
                && (t.minEmployees() == null || employees >= t.minEmployees())
                && (t.maxEmployees() == null || employees <= t.maxEmployees());
    }
}
