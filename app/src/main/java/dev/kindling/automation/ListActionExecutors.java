package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.lists.Lists;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Add to / remove from a static list through the lists' own membership writes: the membership rows and one history
 * event per actual change, reason {@code action:<source>}. A list deleted after the action was saved is skipped (no
 * error: nothing to change).
 */
@Configuration(proxyBeanMethods = false)
class ListActionExecutors {

    @Bean
    ActionExecutor<Action.AddToList> addToListExecutor(Lists lists) {
        return new ActionExecutor<>() {
            public Class<Action.AddToList> kind() {
                return Action.AddToList.class;
            }

            public void execute(Action.AddToList action, List<Long> ids, ActionSource source) {
                lists.joinByAction(action.listId(), ids, "action:" + source.cause());
            }
        };
    }

    @Bean
    ActionExecutor<Action.RemoveFromList> removeFromListExecutor(Lists lists) {
        return new ActionExecutor<>() {
            public Class<Action.RemoveFromList> kind() {
                return Action.RemoveFromList.class;
            }

            public void execute(Action.RemoveFromList action, List<Long> ids, ActionSource source) {
                lists.leaveByAction(action.listId(), ids, "action:" + source.cause());
            }
        };
    }
}
