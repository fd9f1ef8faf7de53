package dev.kindling.automation;

import java.util.List;

/**
 * Carries out one kind of {@link Action} for many prospects at once, in the caller's transaction, in a fixed number
 * of statements. Executors that change what conditions read publish {@code ProspectsChanged} or
 * an event implementing {@code ConditionFactsChanged}, so rules and lists see the change before the transaction commits.
 */
public interface ActionExecutor<A extends Action> {

    Class<A> kind();

    /** Applies {@code action} to these (existing) prospects. */
    void execute(A action, List<Long> prospectIds, ActionSource source);
}
