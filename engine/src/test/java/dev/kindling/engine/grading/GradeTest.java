package dev.kindling.engine.grading;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GradeTest {

    @Test
    void gradesAreOrderedFromFToAPlusInThirds() {
        assertThat(Grade.values())
                .extracting(Grade::display)
                .containsExactly("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+");
        assertThat(Grade.C_PLUS).isGreaterThan(Grade.C).isLessThan(Grade.B_MINUS);
    }

    @Test
    void raisingAndLoweringMoveByThirdsAndClampAtTheEnds() {
        assertThat(Grade.D.raise(1)).isEqualTo(Grade.D_PLUS);
        assertThat(Grade.D.raise(3)).isEqualTo(Grade.C);
        assertThat(Grade.D.lower(2)).isEqualTo(Grade.F);
        assertThat(Grade.D.lower(5)).isEqualTo(Grade.F);
        assertThat(Grade.A.raise(3)).isEqualTo(Grade.A_PLUS);
        assertThat(Grade.B.raise(Integer.MAX_VALUE)).isEqualTo(Grade.A_PLUS);
        assertThat(Grade.B.lower(Integer.MAX_VALUE)).isEqualTo(Grade.F);
    }

    @Test
    void parsesTheDisplayFormAndTheName() {
        assertThat(Grade.parse("C+")).contains(Grade.C_PLUS);
        assertThat(Grade.parse("d-")).contains(Grade.D_MINUS);
        assertThat(Grade.parse("A_PLUS")).contains(Grade.A_PLUS);
        assertThat(Grade.parse("E")).isEmpty();
        assertThat(Grade.parse(null)).isEmpty();
    }
}
