package dev.kindling.engine.program;

/** One problem of a program definition: the step it is about ({@code null} for the program itself) and what is wrong. */
public record ProgramError(String stepId, String message) {

    @Override
    public String toString() {
        return stepId == null ? message : "step " + stepId + ": " + message;
    }
}
