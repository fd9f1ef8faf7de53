package dev.kindling.salesforce;

import dev.kindling.automation.ActionExecutor;
import dev.kindling.automation.ActionSource;
import dev.kindling.engine.automation.Action;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The "sync to CRM" action of rules and completion actions: the explicit step for many prospects at once. Those
 * matching the sync condition are queued, allowed to be created, in the rule's transaction; the next cycle matches or
 * creates them. Two statements whatever their number; nothing while no connector is configured.
 */
@Component
class SyncToCrmExecutor implements ActionExecutor<Action.SyncToCrm> {

    private final CrmSync sync;

    SyncToCrmExecutor(CrmSync sync) {
        this.sync = sync;
    }

    @Override
    public Class<Action.SyncToCrm> kind() {
        return Action.SyncToCrm.class;
    }

    @Override
    public void execute(Action.SyncToCrm action, List<Long> prospectIds, ActionSource source) {
        sync.requestAll(prospectIds);
    }
}
