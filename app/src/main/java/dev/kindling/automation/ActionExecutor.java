package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
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

    /** One action of this kind for some prospects, on behalf of a source. */
    record Call<A>(A action, List<Long> prospectIds, ActionSource source) {}

    /**
     * Applies several actions of this kind (of several rules), in order; an executor that can do them together in
     * fewer statements overrides this.
     */
    default void executeAll(List<Call<A>> calls) {
        for (Call<A> call : calls) {
            execute(call.action(), call.prospectIds(), call.source());
        }
    }
}
