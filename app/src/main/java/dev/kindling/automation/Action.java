package dev.kindling.automation;

import dev.kindling.engine.lifecycle.LifecycleStage;
import java.net.URI;

/**
 * One thing a rule or a completion action does to the prospects it applies to. Each kind has one
 * {@link ActionExecutor}; later kinds (assignment, notification, tasks, programs) are new records here and new
 * executors, nothing else. The JSON form is {@code {"type": "adjustScore", ...}} ({@link ActionJson}).
 */
public sealed interface Action {

    /** The JSON {@code type} of this kind. */
    String type();

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
     * Sets a standard field ({@code industry}) or a custom one ({@code custom.region}) to a validated value;
     * {@code null} clears it.
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

    /** Moves to a lifecycle stage (recorded as a transition caused by the rule or form). */
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

    /** POSTs {@code {rule, prospect}} to the URL after the transaction commits, with retries (the webhook outbox). */
    record CallWebhook(URI url) implements Action {
        public String type() {
            return "callWebhook";
        }
    }

    /**
     * Emails a user (a fixed one, or the prospect's owner when {@code userId} is null) and calls the webhook
     * subscriptions for {@code rule.notification}. Subject and message may hold merge fields ({@code {{firstName}}},
     * {@link NotifyUserExecutor#MERGE_FIELDS}) filled from the prospect as plain text.
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
     * Gives the prospects an owner: round-robin in a team ({@code teamId}) or one user ({@code userId}), exactly one
     * of them. An owned prospect keeps its owner unless {@code forced}. Recorded in the assignment history with the
     * rule's cause.
     */
    record Assign(Long teamId, Long userId, boolean forced) implements Action {
        public String type() {
            return "assign";
        }
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
