package dev.kindling.engine.program;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.program.Step.EndStep;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who belongs in a program by list memberships: {@link ProgramDefinition#isRecipient} and its suppression lists. */
class ProgramRecipientsTest {

    private static ProgramDefinition.Builder program() {
        return ProgramDefinition.builder(1, "Test", "end").step(new EndStep("end"));
    }

    @Test
    void aMemberOfAnyRecipientListIsARecipient() {
        ProgramDefinition d = program().recipients(5L, 7L).build();
        assertThat(d.isRecipient(Set.of(7L))).isTrue();
        assertThat(d.isRecipient(Set.of(1L, 5L, 9L))).isTrue();
        assertThat(d.isRecipient(Set.of(1L, 9L))).isFalse();
        assertThat(d.isRecipient(Set.of())).isFalse();
    }

    @Test
    void withoutRecipientListsEveryoneNotSuppressedIsARecipient() {
        ProgramDefinition d = program().suppressions(6L).build();
        assertThat(d.isRecipient(Set.of())).isTrue();
        assertThat(d.isRecipient(Set.of(3L))).isTrue();
        assertThat(d.isRecipient(Set.of(3L, 6L))).isFalse();
    }

    @Test
    void aMemberOfAnySuppressionListIsSuppressedAndNoRecipient() {
        ProgramDefinition d = program().recipients(5L).suppressions(6L, 8L).build();
        assertThat(d.isSuppressed(Set.of(8L))).isTrue();
        assertThat(d.isSuppressed(Set.of(5L))).isFalse();
        assertThat(d.isSuppressed(Set.of())).isFalse();
        assertThat(d.isRecipient(Set.of(5L))).isTrue();
        assertThat(d.isRecipient(Set.of(5L, 8L))).isFalse();
        assertThat(d.isRecipient(Set.of(5L, 6L, 8L))).isFalse();
        assertThat(program().build().isSuppressed(Set.of(6L))).isFalse();
    }
}
