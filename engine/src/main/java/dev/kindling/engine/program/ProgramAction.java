package dev.kindling.engine.program;

import dev.kindling.engine.lifecycle.LifecycleStage;

/**
 * What an ACTION step does. The engine only emits it ({@link Effect.ActionEmitted}); the app executes it, once per
 * idempotency key. The {@link #type()} names are those of the automation actions where both exist.
 */
public sealed interface ProgramAction {

    /** The JSON {@code type} of this kind. */
    String type();

    /**
     * Sends the email made from a template. A template id starting with {@value #PLACEHOLDER} is a slot of a
     * ready-made program still to be filled in ({@link ProgramDefinition#withEmails}); such a program validates but
     * cannot start.
     */
    record SendEmail(String templateId) implements ProgramAction {
        public static final String PLACEHOLDER = "fill:";

        /** A slot to be filled with a real template before the program can start. */
        public static SendEmail placeholder(String slot) {
            return new SendEmail(PLACEHOLDER + slot);
        }

        public boolean isPlaceholder() {
            return templateId != null && templateId.startsWith(PLACEHOLDER);
        }

        /** The slot name of a placeholder, or {@code null}. */
        public String slot() {
            return isPlaceholder() ? templateId.substring(PLACEHOLDER.length()) : null;
        }

        public String type() {
            return "sendEmail";
        }
    }

    /** Adds (or with a negative value removes) points. */
    record AdjustScore(int points) implements ProgramAction {
        public String type() {
            return "adjustScore";
        }
    }

    /** Adds to a static list. */
    record AddToList(long listId) implements ProgramAction {
        public String type() {
            return "addToList";
        }
    }

    /** Removes from a static list. */
    record RemoveFromList(long listId) implements ProgramAction {
        public String type() {
            return "removeFromList";
        }
    }

    /** Sets a standard or custom ({@code custom.name}) field; the app checks the field and the value's type. */
    record SetField(String field, String value) implements ProgramAction {
        public String type() {
            return "setField";
        }
    }

    /** Moves to a lifecycle stage. */
    record ChangeStage(LifecycleStage stage) implements ProgramAction {
        public String type() {
            return "changeStage";
        }
    }

    /** Assigns an owner: a user, round-robin within a team, or the territory rules ({@code id} is null then). */
    record Assign(AssignTo to, Long id) implements ProgramAction {
        public String type() {
            return "assign";
        }
    }

    /** Who {@link Assign} assigns to. */
    enum AssignTo {
        USER,
        TEAM,
        TERRITORY_RULES
    }

    /** Notifies a user, or the prospect's owner when {@code userId} is null, with a message. */
    record Notify(Long userId, String message) implements ProgramAction {
        public String type() {
            return "notify";
        }
    }

    /** POSTs the prospect and program to an http(s) URL (through the app's webhook outbox, with retries). */
    record CallWebhook(String url) implements ProgramAction {
        public String type() {
            return "callWebhook";
        }
    }

    /** Ends the prospect's open enrollment in another (or this) nurture program. */
    record RemoveFromProgram(long programId) implements ProgramAction {
        public String type() {
            return "removeFromProgram";
        }
    }

    /**
     * Creates a sales task due {@code dueInHours} after the step runs, for a user or, when {@code userId} is null,
     * the prospect's owner.
     */
    record CreateTask(String subject, int dueInHours, Long userId) implements ProgramAction {
        public String type() {
            return "createTask";
        }
    }
}
