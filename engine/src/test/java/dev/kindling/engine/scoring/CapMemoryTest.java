package dev.kindling.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.PropertyRuns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cap memory behaves as an immutable map: checked against a HashMap over many seeded random histories. */
class CapMemoryTest {

    private static final long SEED = 20261207L;
    private static final int CASES = PropertyRuns.cases(300, 3_000);

    /** Keys of the shapes scoring uses, and some that share a full hash code ("Aa" and "BB" hash alike). */
    private static String key(Random gen) {
        return switch (gen.nextInt(4)) {
            case 0 -> (1 + gen.nextInt(30)) + ":d:" + (20_000 + gen.nextInt(400));
            case 1 -> (1 + gen.nextInt(30)) + ":f:e" + gen.nextInt(50);
            case 2 -> (1 + gen.nextInt(30)) + ":n:" + gen.nextInt(40);
            default ->
                (gen.nextBoolean() ? "Aa" : "BB")
                        + (gen.nextBoolean() ? "Aa" : "BB")
                        + (gen.nextBoolean() ? "Aa" : "BB");
        };
    }

    @Test
    void behavesAsAnImmutableMapAndReportsExactlyWhatChanged() {
        for (int c = 0; c < CASES; c++) {
            Random gen = new Random(SEED + c);
            Map<String, Integer> expected = new HashMap<>();
            CapMemory memory = CapMemory.EMPTY;
            List<CapMemory> versions = new ArrayList<>();
            List<Map<String, Integer>> snapshots = new ArrayList<>();
            int steps = gen.nextInt(gen.nextBoolean() ? 20 : 600);
            for (int s = 0; s < steps; s++) {
                String k = gen.nextInt(4) == 0 && !expected.isEmpty()
                        ? new ArrayList<>(expected.keySet()).get(gen.nextInt(expected.size()))
                        : key(gen);
                int v = gen.nextInt(7) - 3;
                CapMemory before = memory;
                Map<String, Integer> expectedBefore = Map.copyOf(expected);
                memory = memory.with(k, v);
                expected.put(k, v);
                if (expectedBefore.equals(expected)) {
                    assertThat(memory)
                            .as("case %d: an unchanged value keeps the map", c)
                            .isSameAs(before);
                }
                Map<String, Integer> reported = new HashMap<>();
                memory.forEachChangedFrom(before, reported::put);
                Map<String, Integer> reportedFromPlain = new HashMap<>();
                memory.forEachChangedFrom(expectedBefore, reportedFromPlain::put);
                Map<String, Integer> diff = new HashMap<>();
                expected.forEach((key, value) -> {
                    if (!value.equals(expectedBefore.get(key))) {
                        diff.put(key, value);
                    }
                });
                assertThat(reported).as("case %d step %d", c, s).isEqualTo(diff);
                assertThat(reportedFromPlain).as("case %d step %d", c, s).isEqualTo(diff);
                if (gen.nextInt(10) == 0) {
                    versions.add(memory);
                    snapshots.add(Map.copyOf(expected));
                }
            }
            assertThat(memory).as("case %d", c).isEqualTo(expected);
            assertThat(expected).as("case %d", c).isEqualTo(memory);
            assertThat(memory.hashCode()).isEqualTo(expected.hashCode());
            assertThat(memory.size()).isEqualTo(expected.size());
            assertThat(memory.entrySet()).containsExactlyInAnyOrderElementsOf(expected.entrySet());
            for (String k : expected.keySet()) {
                assertThat(memory.get(k)).isEqualTo(expected.get(k));
                assertThat(memory.containsKey(k)).isTrue();
            }
            for (int i = 0; i < 20; i++) {
                String absent = key(gen) + "x";
                assertThat(memory.get(absent)).isNull();
                assertThat(memory.getOrDefault(absent, 7)).isEqualTo(7);
            }
            assertThat(CapMemory.of(expected)).isEqualTo(expected);
            // every earlier version is still what it was
            for (int i = 0; i < versions.size(); i++) {
                assertThat(versions.get(i)).as("case %d version %d", c, i).isEqualTo(snapshots.get(i));
            }
            // the changes between any two versions, from the older one
            if (!versions.isEmpty()) {
                CapMemory older = versions.getFirst();
                Map<String, Integer> reported = new HashMap<>();
                memory.forEachChangedFrom(older, reported::put);
                Map<String, Integer> diff = new HashMap<>();
                expected.forEach((key, value) -> {
                    if (!value.equals(older.get(key))) {
                        diff.put(key, value);
                    }
                });
                assertThat(reported).as("case %d", c).isEqualTo(diff);
            }
        }
    }

    @Test
    void isReadOnlyAndRefusesNulls() {
        CapMemory memory = CapMemory.EMPTY.with("1:d:20000", 3);
        assertThatThrownBy(() -> memory.put("2:d:20000", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> memory.remove("1:d:20000")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(memory::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> memory.entrySet().iterator().next().setValue(5))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> memory.with(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> memory.with("k", null)).isInstanceOf(NullPointerException.class);
        assertThat(memory).isEqualTo(Map.of("1:d:20000", 3));
    }

    @Test
    void aScoreStateKeepsTheMemoryItIsGivenAndCopiesAnyOtherMap() {
        CapMemory memory = CapMemory.EMPTY.with("1:d:20000", 3);
        ScoreState kept = ScoreState.EMPTY.withCaps(memory);
        assertThat(kept.caps()).isSameAs(memory);
        Map<String, Integer> plain = new HashMap<>(Map.of("1:f:e1", 2));
        ScoreState copied = ScoreState.EMPTY.withCaps(plain);
        plain.put("1:f:e2", 4);
        assertThat(copied.caps()).isEqualTo(Map.of("1:f:e1", 2));
    }
}
