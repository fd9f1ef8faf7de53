package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.email.BlockForm.CaseForm;
import dev.kindling.platform.web.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.json.JsonMapper;

class BlockFormTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void postedFieldsAreReadInIndexOrderWithGapsClosed() {
        LinkedMultiValueMap<String, String> params = new LinkedMultiValueMap<>();
        params.add("blocks[5].name", "second");
        params.add("blocks[2].name", "first");
        params.add("blocks[2].cases[7].html", "B");
        params.add("blocks[2].cases[3].html", "A");
        params.add("blocks[2].cases[3].condition", "{\"all\":[]}");
        params.add("blocks[2].defaultText", "d");
        params.add("name", "not a block");
        List<BlockForm> blocks = BlockForm.read(params);
        assertThat(blocks).extracting(BlockForm::name).containsExactly("first", "second");
        assertThat(blocks.getFirst().cases()).extracting(CaseForm::html).containsExactly("A", "B");
        assertThat(blocks.getFirst().cases().getFirst().condition()).isEqualTo("{\"all\":[]}");
        assertThat(blocks.getFirst().defaultText()).isEqualTo("d");
        assertThat(blocks.get(1).cases()).isEmpty();
    }

    @Test
    void casesAreAddedMovedAndRemovedAndOpsNamingNothingChangeNothing() {
        List<BlockForm> one =
                List.of(new BlockForm("story", List.of(new CaseForm("", "A", ""), new CaseForm("", "B", "")), "", ""));
        assertThat(BlockForm.apply(one, "caseUp:0:1").getFirst().cases())
                .extracting(CaseForm::html)
                .containsExactly("B", "A");
        assertThat(BlockForm.apply(one, "caseDown:0:0").getFirst().cases())
                .extracting(CaseForm::html)
                .containsExactly("B", "A");
        assertThat(BlockForm.apply(one, "caseUp:0:0").getFirst().cases())
                .extracting(CaseForm::html)
                .containsExactly("A", "B");
        assertThat(BlockForm.apply(one, "removeCase:0:0").getFirst().cases())
                .extracting(CaseForm::html)
                .containsExactly("B");
        assertThat(BlockForm.apply(one, "addCase:0").getFirst().cases()).hasSize(3);
        assertThat(BlockForm.apply(one, "addBlock")).hasSize(2);
        assertThat(BlockForm.apply(one, "removeBlock:0")).isEmpty();
        assertThat(BlockForm.apply(one, "removeCase:3:9")).isEqualTo(one);
        assertThat(BlockForm.apply(one, "drop table")).isEqualTo(one);
        assertThat(one.getFirst().cases()).extracting(CaseForm::html).containsExactly("A", "B");
    }

    @Test
    void anUnreadableConditionIsReportedAtItsCaseAndABlankOneIsLeftToTheValidation() {
        List<BlockForm> blocks = List.of(new BlockForm(
                "story", List.of(new CaseForm("{not json", "A", "a"), new CaseForm(" ", "B", "b")), "D", "d"));
        List<FieldError> unreadable = new ArrayList<>();
        var node = BlockForm.toJson(blocks, JSON, unreadable);
        assertThat(unreadable).extracting(FieldError::field).containsExactly("blocks[0].cases[0].condition");
        assertThat(node.get(0).get("cases").get(1).has("condition")).isFalse();
        assertThat(node.get(0).get("defaultHtml").asString()).isEqualTo("D");
    }

    @Test
    void eachErrorGoesUnderTheMostSpecificFieldItsPathPointsInto() {
        List<BlockForm> blocks = List.of(new BlockForm("x", List.of(new CaseForm("", "", "")), "", ""));
        var byField = BlockForm.errorsByField(
                blocks,
                List.of(
                        new FieldError("blocks[0].cases[0].condition.all[0].value", "must not be empty"),
                        new FieldError("blocks[0].name", "must be a block name"),
                        new FieldError("html", "has no unsubscribe link"),
                        new FieldError("blocks[3].name", "elsewhere")));
        assertThat(byField.get("blocks[0].cases[0].condition")).containsExactly("all[0].value must not be empty");
        assertThat(byField.get("blocks[0].name")).containsExactly("must be a block name");
        assertThat(byField.get("html")).containsExactly("has no unsubscribe link");
        assertThat(byField.get("blocks")).containsExactly("[3].name elsewhere");
    }
}
