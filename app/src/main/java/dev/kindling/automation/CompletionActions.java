package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.platform.web.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Completion actions of forms, tracked links and files: the same action model as rules, validated when the form or
 * link is written and run every time it is submitted or clicked (for a known prospect), in the capturing
 * transaction. Unlike rule matches they are not recorded as matches: they leave their usual traces (ledger entries,
 * transitions, list events) with the form or link as the cause.
 */
@Component
public class CompletionActions {

    private final ActionJson actionJson;
    private final ActionRunner runner;

    CompletionActions(ActionJson actionJson, ActionRunner runner) {
        this.actionJson = actionJson;
        this.runner = runner;
    }

    /** The normalised JSON form of {@code raw} (a list from {@code JsonValues}), problems added to {@code errors}. */
    public List<Object> validate(Object raw, String path, List<FieldError> errors) {
        List<Action> actions = actionJson.parse(raw, path, errors);
        return new ArrayList<>(ActionJson.write(actions));
    }

    /** Runs stored completion actions for one prospect; {@code cause} is {@code form:<key>} or {@code link:<id>}. */
    public void run(List<Object> stored, long prospectId, String cause, String name) {
        if (stored.isEmpty()) {
            return;
        }
        List<Action> actions = ActionJson.stored(
                tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(stored));
        runner.run(actions, List.of(prospectId), ActionSource.of(cause, name));
    }
}
