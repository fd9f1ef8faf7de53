package dev.kindling.prospects.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.CustomFieldType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProspectWebTest {

    @Test
    void pageNumbersThatAreNotSensibleMeanTheFirstOrLastAllowedPage() {
        assertThat(PageNumber.parse(null)).isEqualTo(1);
        assertThat(PageNumber.parse("abc")).isEqualTo(1);
        assertThat(PageNumber.parse("-3")).isEqualTo(1);
        assertThat(PageNumber.parse(" 7 ")).isEqualTo(7);
        assertThat(PageNumber.parse("99999")).isEqualTo(PageNumber.MAX);
        assertThat(PageNumber.parse("99999999999")).isEqualTo(1);
    }

    @Test
    void likePatternCharactersInASearchMatchLiterally() {
        assertThat(ProspectDirectory.likeEscape("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
    }

    @Test
    void timelineEntriesAreLabelledInWordsOrByTheirCustomName() {
        assertThat(entry("FORM_SUBMIT", null).label()).isEqualTo("Form submit");
        assertThat(entry("CUSTOM", "Trial started").label()).isEqualTo("Trial started");
    }

    @Test
    void customFieldsAreListedByLabelThenValuesWithoutADefinition() {
        Map<String, CustomField> defined = new LinkedHashMap<>();
        defined.put("plan", new CustomField(1, "plan", "Plan", CustomFieldType.PICKLIST, List.of("free", "pro")));
        defined.put("seats", new CustomField(2, "seats", "Seats", CustomFieldType.NUMBER, List.of()));

        var fields = ProspectPageController.customFields(Map.of("plan", "pro", "legacy", "x"), defined);

        assertThat(fields)
                .containsExactly(
                        new ProspectPageController.Field("Plan", "pro"),
                        new ProspectPageController.Field("Seats", null),
                        new ProspectPageController.Field("legacy", "x"));
    }

    private static ProspectDossier.TimelineEntry entry(String type, String customName) {
        return new ProspectDossier.TimelineEntry(1, type, customName, Instant.EPOCH, Map.of(), false, true);
    }
}
