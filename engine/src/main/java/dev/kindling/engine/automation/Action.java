package dev.kindling.engine.automation;

import dev.kindling.engine.lifecycle.LifecycleStage;

/**
 * One thing an automation rule, a completion action (of a form, tracked link or file) or a program step does to the
 * prospects it applies to: the one action model of Kindling. The app reads and writes its JSON form
 * ({@code {"type": "adjustScore", ...}}, one codec, published as {@code docs/schemas/action.schema.json}) and runs each
 * kind through one executor; only a program step sends email ({@link SendEmail}), each send keyed by its step.
 */
public sealed interface Action {

    /** The JSON {@code type} of this kind. */
    String type();

    /**
     * Sends the email made from a template (program steps only). A template id starting with {@value #PLACEHOLDER} is
     * a slot of a ready-made program still to be filled in; such a program validates but cannot start.
     */
    record SendEmail(String templateId) implements Action {
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

    /** Adds (or with a negative value removes) points, an AUTOMATION ledger entry; never below the score floor. */
    record AdjustScore(int points) implements Action {
        public String type() {
            return "adjustScore";
        }
    }

    /** Sets the score to a value, an AUTOMATION ledger entry. */
    record SetScore(int score) implements Action {
        public String type() {
            return "setScore";
        }
    }

    /**
     * Sets a standard field ({@code industry}) or a custom one ({@code custom.region}) to a value of its type (text,
     * a whole or decimal number, a boolean, a date); {@code null} clears it.
     */
    record SetField(String field, Object value) implements Action {
        public String type() {
            return "setField";
        }

        public boolean custom() {
            return field.startsWith("custom.");
        }
    }

    /** Adds to a static list. */
    record AddToList(long listId) implements Action {
        public String type() {
            return "addToList";
        }
    }

    /** Removes from a static list. */
    record RemoveFromList(long listId) implements Action {
        public String type() {
            return "removeFromList";
        }
    }

    /** Moves to a lifecycle stage (recorded as a transition caused by the rule, form, link or program). */
    record ChangeStage(LifecycleStage stage) implements Action {
        public String type() {
            return "changeStage";
        }
    }

    /** Sets (or clears) do-not-email. */
    record SetDoNotEmail(boolean value) implements Action {
        public String type() {
            return "setDoNotEmail";
        }
    }

    /**
     * POSTs the source and the prospect to the URL (an http(s) URL the app's outbound policy allows) after the
     * transaction commits, with retries (the webhook outbox).
     */
    record CallWebhook(String url) implements Action {
        public String type() {
            return "callWebhook";
        }
    }

    /**
     * Emails a user (a fixed one, or the prospect's owner when {@code userId} is null) and calls the webhook
     * subscriptions for the notification. Subject and message may hold merge fields ({@code {{firstName}}}); without a
     * subject the notice is titled after what sent it ({@code Program "Welcome"}).
     */
    record NotifyUser(Long userId, String subject, String message) implements Action {
        public String type() {
            return "notifyUser";
        }

        public boolean owner() {
            return userId == null;
        }
    }

    /**
     * Gives the prospects an owner: one user, round-robin in a team, or by the territory rules ({@code id} is null
     * then). An owned prospect keeps its owner unless {@code forced}.
     */
    record Assign(AssignTo to, Long id, boolean forced) implements Action {
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

    /**
     * Enrolls the prospects in a running nurture program (those its recipient and suppression lists and re-entry
     * policy admit); they start at its first step on the next sweep.
     */
    record AddToProgram(long programId) implements Action {
        public String type() {
            return "addToProgram";
        }
    }

    /** Ends the prospects' open enrollment in a nurture program (EXITED, with the cause as the reason). */
    record RemoveFromProgram(long programId) implements Action {
        public String type() {
            return "removeFromProgram";
        }
    }

    /**
     * Creates a sales task for each prospect, due {@code dueInHours} from now, owned by a user ({@code userId}) or,
     * when that is null, by the prospect's owner (no owner: the task waits on the lead page).
     */
    record CreateTask(String subject, int dueInHours, Long userId) implements Action {
        public String type() {
            return "createTask";
        }
    }

    /**
     * Syncs the prospects to the CRM (Salesforce): those matching the connector's sync condition are queued for the next
     * cycle, matched by email or created there when nothing matches. Nothing happens while no connector is configured.
     */
    record SyncToCrm() implements Action {
        public String type() {
            return "syncToCrm";
        }
    }
}
