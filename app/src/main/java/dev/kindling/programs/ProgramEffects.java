package dev.kindling.programs;

import dev.kindling.assignment.AssignmentCause;
import dev.kindling.assignment.Assignments;
import dev.kindling.automation.Action;
import dev.kindling.automation.ActionJson;
import dev.kindling.automation.ActionRunner;
import dev.kindling.automation.ActionSource;
import dev.kindling.email.MarketingEmails;
import dev.kindling.engine.program.ProgramAction;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.platform.web.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Executes the actions of program steps through the capabilities that own them, in batches, in the advancing
 * transaction: emails through {@link MarketingEmails} (the step's idempotency key is the send key, so the email
 * module never sends a step's email twice either, and applies its own suppression and frequency cap), score, lists,
 * fields, stage, webhooks and notifications through the automation {@code ActionExecutor}s, territory assignment
 * through {@link Assignments}. One call per distinct action, each for all its prospects.
 */
@Component
class ProgramEffects {

    /** One action of one step to execute for a prospect, under the step's key. */
    record Pending(String key, ProgramDefinition program, String stepId, ProgramAction action, long prospectId) {}

    private final MarketingEmails emails;
    // a provider: the runner holds every executor, among them "add to program", which enrolls through this package
    private final ObjectProvider<ActionRunner> actions;
    private final ActionJson actionJson;
    private final Assignments assignments;

    ProgramEffects(
            MarketingEmails emails,
            ObjectProvider<ActionRunner> actions,
            ActionJson actionJson,
            Assignments assignments) {
        this.emails = emails;
        this.actions = actions;
        this.actionJson = actionJson;
        this.assignments = assignments;
    }

    /**
     * Executes these actions; returns, per key, what happened (SENT, SUPPRESSED:reason, DUPLICATE, DONE) and, for
     * sends, the message id in {@code messages}.
     */
    Map<String, String> execute(List<Pending> pending, Map<String, Long> messages) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, List<Pending>> groups = new LinkedHashMap<>();
        for (Pending p : pending) {
            groups.computeIfAbsent(
                            p.program().programId() + ":" + p.program().version() + ":" + p.stepId(),
                            k -> new ArrayList<>())
                    .add(p);
        }
        for (List<Pending> group : groups.values()) {
            Pending first = group.getFirst();
            ProgramDefinition program = first.program();
            ActionSource source = ActionSource.of("program:" + program.programId(), program.name());
            List<Long> ids = group.stream().map(Pending::prospectId).distinct().toList();
            switch (first.action()) {
                case ProgramAction.SendEmail send -> {
                    List<MarketingEmails.Recipient> recipients = group.stream()
                            .map(p -> new MarketingEmails.Recipient(
                                    p.prospectId(), "program:" + p.key(), null, null, null))
                            .toList();
                    Set<Long> suppress = new HashSet<>(program.suppressionListIds());
                    for (MarketingEmails.Outcome o :
                            emails.send(Long.parseLong(send.templateId()), recipients, suppress)) {
                        String key = o.sendKey().substring("program:".length());
                        outcomes.put(key, o.reason() == null ? o.status() : o.status() + ":" + o.reason());
                        messages.put(key, o.messageId());
                    }
                }
                case ProgramAction.Assign a
                when a.to() == ProgramAction.AssignTo.TERRITORY_RULES -> {
                    assignments.assign(ids, new AssignmentCause.Territories(null, source.cause()), false);
                    done(group, outcomes);
                }
                default -> {
                    actions.getObject().run(List.of(automation(first.action(), program)), ids, source);
                    done(group, outcomes);
                }
            }
        }
        return outcomes;
    }

    private static void done(List<Pending> group, Map<String, String> outcomes) {
        group.forEach(p -> outcomes.put(p.key(), knownOutcome(p.action())));
    }

    /**
     * The outcome of an action known before it runs: DONE for every action but a send (whose outcome — sent,
     * suppressed, duplicate — only the email module knows), null for a send.
     */
    static String knownOutcome(ProgramAction action) {
        return action instanceof ProgramAction.SendEmail ? null : "DONE";
    }

    /** The automation action that does what a program action says (validated when the program was saved). */
    private Action automation(ProgramAction action, ProgramDefinition program) {
        return switch (action) {
            case ProgramAction.AdjustScore s -> new Action.AdjustScore(s.points());
            case ProgramAction.AddToList l -> new Action.AddToList(l.listId());
            case ProgramAction.RemoveFromList l -> new Action.RemoveFromList(l.listId());
            case ProgramAction.ChangeStage c -> new Action.ChangeStage(c.stage());
            case ProgramAction.CallWebhook w -> new Action.CallWebhook(URI.create(w.url()));
            case ProgramAction.Notify n ->
                new Action.NotifyUser(n.userId(), "Program \"" + program.name() + "\"", n.message());
            case ProgramAction.Assign a ->
                new Action.Assign(
                        a.to() == ProgramAction.AssignTo.TEAM ? a.id() : null,
                        a.to() == ProgramAction.AssignTo.USER ? a.id() : null,
                        false);
            case ProgramAction.SetField f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "setField");
                m.put("field", f.field());
                m.put("value", f.value());
                List<FieldError> errors = new ArrayList<>();
                List<Action> parsed = actionJson.parse(List.of(m), "setField", errors);
                if (!errors.isEmpty() || parsed.isEmpty()) {
                    throw new IllegalStateException("program " + program.programId() + " sets " + f.field()
                            + " to a value that no longer fits: " + errors);
                }
                yield parsed.getFirst();
            }
            case ProgramAction.RemoveFromProgram r -> new Action.RemoveFromProgram(r.programId());
            case ProgramAction.CreateTask t -> new Action.CreateTask(t.subject(), t.dueInHours(), t.userId());
            case ProgramAction.SendEmail s -> throw new IllegalArgumentException("sends go through MarketingEmails");
        };
    }
}
