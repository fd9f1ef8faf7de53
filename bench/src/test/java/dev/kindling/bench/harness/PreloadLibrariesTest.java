package dev.kindling.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreloadLibrariesTest {

    /** W1's --statements with --auto-explain: one setting, so both must be in it (the last set would win alone). */
    @Test
    void namesBothLibrariesWhenStatementStatsAndAutoExplainAreAskedFor() {
        assertThat(BenchDatabase.preloadLibraries(true, true)).isEqualTo("pg_stat_statements,auto_explain");
    }

    @Test
    void namesEachAloneOrNone() {
        assertThat(BenchDatabase.preloadLibraries(true, false)).isEqualTo("pg_stat_statements");
        assertThat(BenchDatabase.preloadLibraries(false, true)).isEqualTo("auto_explain");
        assertThat(BenchDatabase.preloadLibraries(false, false)).isNull();
    }
}
