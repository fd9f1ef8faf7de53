package dev.kindling.engine.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.lifecycle.LifecycleStage;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProspectFactsTest {

    private static ProspectFacts facts(Map<String, Object> fields, Set<Long> listIds) {
        return new ProspectFacts(
                1L, fields, 10, null, LifecycleStage.CAPTURED, null, listIds, List.of(), null, List.of(), Map.of());
    }

    @Test
    void copiesTheCollectionsItIsGiven() {
        Map<String, Object> fields = new HashMap<>(Map.of("industry", "Retail"));
        Set<Long> lists = new HashSet<>(Set.of(7L));
        ProspectFacts facts = facts(fields, lists);
        fields.put("industry", "Banking");
        lists.add(8L);
        assertThat(facts.fields()).containsExactly(Map.entry("industry", "Retail"));
        assertThat(facts.listIds()).containsExactly(7L);
        assertThatThrownBy(() -> facts.fields().put("country", "JP")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> facts.listIds().add(9L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsTheUnmodifiableViewsHandedOverWithoutACopy() {
        Map<String, Object> fields = Collections.unmodifiableMap(new HashMap<>(Map.of("industry", "Retail")));
        Set<Long> lists = Collections.unmodifiableSet(new HashSet<>(Set.of(7L)));
        ProspectFacts facts = facts(fields, lists);
        assertThat(facts.fields()).isSameAs(fields);
        assertThat(facts.listIds()).isSameAs(lists);
        assertThat(facts).isEqualTo(facts(new HashMap<>(fields), new HashSet<>(lists)));
    }

    @Test
    void missingCollectionsAreEmpty() {
        ProspectFacts facts = facts(null, null);
        assertThat(facts.fields()).isEmpty();
        assertThat(facts.listIds()).isEmpty();
    }
}
