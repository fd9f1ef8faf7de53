package dev.kindling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.PropertyRuns;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link InputDates#instant}'s hand-read shape answers as {@code Instant.parse} and its year range would. */
class InputDatesTest {

    /** What {@link InputDates#instant} answered before its hand-read shape: the instant, or the exception's class. */
    private static Object reference(String text) {
        try {
            Instant instant = Instant.parse(text);
            int year = LocalDate.ofInstant(instant, ZoneOffset.UTC).getYear();
            return year < InputDates.EARLIEST_YEAR || year > InputDates.LATEST_YEAR
                    ? DateTimeParseException.class
                    : instant;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static Object actual(String text) {
        try {
            return InputDates.instant(text);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    @Test
    void theHandReadShapeGivesTheInstantsOfInstantParse() {
        assertThat(InputDates.plainUtc("2030-01-31T09:00:00Z")).isEqualTo(Instant.parse("2030-01-31T09:00:00Z"));
        assertThat(InputDates.plainUtc("2024-02-29T23:59:59.123456789Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.123456789Z"));
        assertThat(InputDates.plainUtc("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
        // not the shape: left to Instant.parse, which alone accepts or refuses them
        for (String other : List.of(
                "2030-01-31t09:00:00z",
                "2030-01-31T09:00:00+02:00",
                "2030-01-31T24:00:00Z",
                "2016-12-31T23:59:60Z",
                "2030-01-31T09:00:00.Z",
                "2030-01-31T09:00:00.1234567890Z",
                "2023-02-29T09:00:00Z",
                "+12030-01-31T09:00:00Z",
                "2030-1-31T09:00:00Z")) {
            assertThat(InputDates.plainUtc(other)).as(other).isNull();
            assertThat(actual(other)).as(other).isEqualTo(reference(other));
        }
        assertThat(InputDates.instant("2030-01-31T24:00:00Z")).isEqualTo(Instant.parse("2030-02-01T00:00:00Z"));
        assertThatThrownBy(() -> InputDates.instant("0999-12-31T23:59:59Z")).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void everyTextAnswersAsBefore() {
        Random random = new Random(16);
        List<String> texts = new ArrayList<>();
        String alphabet = "0123456789-T:.Z+z ";
        for (int i = 0, n = PropertyRuns.cases(20_000, 200_000); i < n; i++) {
            int year = random.nextInt(12_000);
            String text = "%04d-%02d-%02dT%02d:%02d:%02d"
                    .formatted(
                            year,
                            random.nextInt(14),
                            random.nextInt(33),
                            random.nextInt(26),
                            random.nextInt(62),
                            random.nextInt(62));
            int digits = random.nextInt(12) - 1;
            if (digits >= 0) {
                StringBuilder fraction = new StringBuilder(".");
                for (int d = 0; d < digits; d++) {
                    fraction.append((char) ('0' + random.nextInt(10)));
                }
                text += fraction;
            }
            text += "Z";
            if (random.nextInt(5) == 0) {
                // one character changed
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
                text = new String(chars);
            }
            texts.add(text);
        }
        int handRead = 0;
        for (String text : texts) {
            if (InputDates.plainUtc(text) != null) {
                handRead++;
            }
            assertThat(actual(text)).as(text).isEqualTo(reference(text));
        }
        // the comparison covers the hand-read shape, not only the fallback (over a tenth of the texts)
        assertThat(handRead).isGreaterThan(texts.size() / 10);
    }
}
