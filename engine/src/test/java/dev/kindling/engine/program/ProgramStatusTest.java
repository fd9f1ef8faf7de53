package dev.kindling.engine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgramStatusTest {

    @Test
    void aDraftStartsRunningAndOnlyARunningOneEnrolls() {
        assertThat(ProgramStatus.DRAFT.start()).isEqualTo(ProgramStatus.RUNNING);
        assertThat(ProgramStatus.RUNNING.enrolls()).isTrue();
        assertThat(ProgramStatus.DRAFT.enrolls()).isFalse();
        assertThat(ProgramStatus.PAUSED.enrolls()).isFalse();
    }

    @Test
    void aRunningProgramPausesAndAPausedOneResumes() {
        assertThat(ProgramStatus.RUNNING.pause()).isEqualTo(ProgramStatus.PAUSED);
        assertThat(ProgramStatus.PAUSED.resume()).isEqualTo(ProgramStatus.RUNNING);
    }

    @Test
    void aStartedProgramCannotStartAgain() {
        assertThatThrownBy(ProgramStatus.RUNNING::start)
                .isInstanceOf(ProgramStatus.Refused.class)
                .hasMessage("is RUNNING; resume a paused one");
        assertThatThrownBy(ProgramStatus.PAUSED::start).isInstanceOf(ProgramStatus.Refused.class);
    }

    @Test
    void onlyARunningProgramPausesAndOnlyAPausedOneResumes() {
        assertThatThrownBy(ProgramStatus.DRAFT::pause).hasMessage("is DRAFT, not RUNNING");
        assertThatThrownBy(ProgramStatus.PAUSED::pause).hasMessage("is PAUSED, not RUNNING");
        assertThatThrownBy(ProgramStatus.DRAFT::resume).hasMessage("is DRAFT, not PAUSED");
        assertThatThrownBy(ProgramStatus.RUNNING::resume).hasMessage("is RUNNING, not PAUSED");
    }
}
