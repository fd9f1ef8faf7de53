package dev.kindling.programs;

import dev.kindling.automation.ActionRunner;
import dev.kindling.automation.ActionSource;
import dev.kindling.email.MarketingEmails;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.program.ProgramDefinition;
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
 * module never sends a step's email twice either, and applies its own suppression and frequency cap), every other
 * action — the same model as rules' and forms' — through the automation {@link ActionRunner} and its executors. One
 * call per distinct action, each for all its prospects.
 */
@Component
class ProgramEffects {

    /** One action of one step to execute for a prospect, under the step's key. */
    record Pending(String key, ProgramDefinition program, String stepId, Action action, long prospectId) {}

    private final MarketingEmails emails;
    // a provider: the runner holds every executor, among them "add to program", which enrolls through this package
    private final ObjectProvider<ActionRunner> actions;

    ProgramEffects(MarketingEmails emails, ObjectProvider<ActionRunner> actions) {
        this.emails = emails;
        this.actions = actions;
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
                case Action.SendEmail send -> {
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
                default -> {
                    actions.getObject().run(List.of(first.action()), ids, source);
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
    static String knownOutcome(Action action) {
        return action instanceof Action.SendEmail ? null : "DONE";
    }
}
