package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticMessageSource;

class FieldNamesTest {

    private final FieldNames names = new FieldNames(new Labels(new StaticMessageSource()));

    @Test
    void aFieldPathReadsAsWordsWithPositionsCountedFromOne() {
        assertThat(names.of("businessHours.closes")).isEqualTo("Business hours › closes");
        assertThat(names.of("all[2].activity.withinDays")).isEqualTo("All 3 › activity › within days");
        assertThat(names.of("steps[0].days")).isEqualTo("Steps 1 › days");
        assertThat(names.of("name")).isEqualTo("Name");
        assertThat(names.of("mqlKeyActionDays")).isEqualTo("MQL key action days");
        assertThat(names.of("successUrl")).isEqualTo("Success URL");
        assertThat(names.of("")).isEmpty();
        assertThat(names.of(null)).isEmpty();
        assertThat(names.line("points", "must be a number")).isEqualTo("Points: must be a number");
        assertThat(names.line("", "nothing to save")).isEqualTo("nothing to save");
    }

    @Test
    void aSegmentWithAMessageInTheBundleTakesItsWords() {
        StaticMessageSource messages = new StaticMessageSource();
        messages.addMessage("field.startDate", java.util.Locale.ENGLISH, "start date (YYYY-MM-DD)");
        assertThat(new FieldNames(new Labels(messages)).of("startDate")).isEqualTo("Start date (YYYY-MM-DD)");
    }
}
