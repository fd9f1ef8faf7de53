package dev.kindling.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.identity.FreeMailDomains;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

    private final Dataset xs = Dataset.of(DatasetSize.XS, 42, END);

    @Test
    void sameSizeSeedAndEndGiveTheSameData() {
        Dataset again = Dataset.of(DatasetSize.XS, 42, END);

        assertThat(again.campaigns()).isEqualTo(xs.campaigns());
        assertThat(again.accounts().toList()).isEqualTo(xs.accounts().toList());
        assertThat(again.prospects().toList()).isEqualTo(xs.prospects().toList());
        assertThat(again.activities().toList()).isEqualTo(xs.activities().toList());
    }

    @Test
    void anotherSeedGivesOtherData() {
        Dataset other = Dataset.of(DatasetSize.XS, 43, END);

        assertThat(other.prospects().limit(50).toList())
                .isNotEqualTo(xs.prospects().limit(50).toList());
        assertThat(other.activities().limit(50).toList())
                .isNotEqualTo(xs.activities().limit(50).toList());
    }

    @Test
    void streamsExactlyTheSizesNumberOfActivitiesWithUniqueExternalIds() {
        Set<String> externalIds = new HashSet<>();
        xs.forEachActivity(activity -> externalIds.add(activity.externalId()));

        assertThat(externalIds).hasSize(20_000);
    }

    @Test
    void activityMixIsMostlyPageViewsThenEmailOpensClicksAndForms() {
        Map<ActivityType, Long> counts = new EnumMap<>(ActivityType.class);
        xs.forEachActivity(activity -> counts.merge(activity.type(), 1L, Long::sum));
        double total = 20_000;

        assertThat(counts.get(ActivityType.PAGE_VIEW) / total).isCloseTo(0.70, within(0.02));
        assertThat(counts.get(ActivityType.EMAIL_OPEN) / total).isCloseTo(0.15, within(0.015));
        assertThat(counts.get(ActivityType.EMAIL_CLICK) / total).isCloseTo(0.08, within(0.01));
        assertThat(counts.get(ActivityType.FORM_SUBMIT) / total).isCloseTo(0.02, within(0.005));
        assertThat(counts.keySet())
                .contains(
                        ActivityType.WEBINAR_ATTENDED,
                        ActivityType.DEMO_REQUEST,
                        ActivityType.FILE_DOWNLOAD,
                        ActivityType.CUSTOM);
    }

    @Test
    void mostProspectsDoLittleAndAFewDoALot() {
        List<Integer> counts = java.util.stream.IntStream.range(0, 1_000)
                .map(xs::activityCount)
                .sorted()
                .boxed()
                .toList();

        assertThat(counts.get(500)).isLessThan(20);
        assertThat(counts.get(999)).isGreaterThan(200);
    }

    @Test
    void activitiesHappenAfterCaptureWithinThePeriodAndLeanRecent() {
        List<GeneratedProspect> prospects = xs.prospects().toList();
        Instant middle =
                xs.periodStart().plus(Duration.between(xs.periodStart(), END).dividedBy(2));
        long[] recent = new long[1];
        xs.forEachActivity(activity -> {
            assertThat(activity.occurredAt())
                    .isAfterOrEqualTo(prospects.get(activity.prospectIndex()).capturedAt())
                    .isBefore(END);
            assertThat(activity.email())
                    .isEqualTo(prospects.get(activity.prospectIndex()).email());
            if (activity.occurredAt().isAfter(middle)) {
                recent[0]++;
            }
        });

        assertThat(recent[0]).isGreaterThan(12_000);
    }

    @Test
    void customActivitiesHaveANameAndOthersNone() {
        xs.forEachActivity(activity ->
                assertThat(activity.customName() != null).isEqualTo(activity.type() == ActivityType.CUSTOM));
    }

    @Test
    void emailsAreUniqueAtSizeS() {
        Dataset s = Dataset.of(DatasetSize.S, 42, END);

        assertThat(s.prospects().map(GeneratedProspect::email).distinct().count())
                .isEqualTo(100_000);
    }

    @Test
    void accountDomainsAreUniqueAtSizeMAndNeverFreeMail() {
        Dataset m = Dataset.of(DatasetSize.M, 7, END);
        Set<String> domains = new HashSet<>();
        m.accounts().forEach(account -> domains.add(account.domain()));

        assertThat(domains).hasSize(200_000).noneMatch(FreeMailDomains::contains);
    }

    @Test
    void prospectsLookLikeB2bDataIncludingJapanAndFreeMail() {
        List<GeneratedProspect> prospects = xs.prospects().toList();
        long freeMail = prospects.stream()
                .filter(p ->
                        FreeMailDomains.contains(p.email().substring(p.email().indexOf('@') + 1)))
                .count();
        Set<String> countries =
                prospects.stream().map(GeneratedProspect::country).collect(Collectors.toSet());
        Set<String> titles = prospects.stream().map(GeneratedProspect::jobTitle).collect(Collectors.toSet());

        assertThat(freeMail).isBetween(80L, 170L);
        assertThat(countries).contains("US", "JP", "DE", "GB");
        assertThat(titles).contains("部長", "課長", "Marketing Manager");
        assertThat(prospects).allSatisfy(p -> {
            assertThat(p.email()).matches("[a-z.]+[0-9]+@[a-z0-9.-]+");
            assertThat(p.employees()).isPositive();
            assertThat(p.website()).startsWith("https://www.");
        });
    }

    @Test
    void campaignsCoverEveryChannelWithinThePeriod() {
        assertThat(xs.campaigns())
                .extracting(GeneratedCampaign::channel)
                .containsAll(List.of(CampaignChannel.values()));
        assertThat(xs.campaigns()).allSatisfy(c -> {
            assertThat(c.startDate()).isBeforeOrEqualTo(c.endDate());
            assertThat(c.cost().signum()).isNotNegative();
        });
    }

    @Test
    void generatesSizeXsInWellUnderASecondOrTwo() {
        long started = System.nanoTime();
        Dataset fresh = Dataset.of(DatasetSize.XS, 1, END);
        fresh.prospects().forEach(p -> {});
        fresh.forEachActivity(a -> {});

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
