package dev.kindling.scoring;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.engine.scoring.ScoringRule;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Several rule changes at once, previewed as a rescore with the model they would make before anything is stored, then
 * applied: the rules written, and every prospect rescored (RESCORE entries). What {@link #apply} returns holds the
 * changes that undo it (the old rules back, the created ones deleted); applying those is "applying the old model again".
 */
@Component
public class RuleChanges {

    /**
     * One change: {@code ruleId} null creates {@code body}; with a {@code ruleId}, {@code delete} removes the rule,
     * else {@code body} is merged onto it (as a PATCH).
     */
    public record Change(Long ruleId, boolean delete, Map<String, Object> body) {}

    /** The rescore done, and the changes that undo it. */
    public record Applied(Rescoring.Summary rescore, List<Change> undo) {}

    private final ScoringRules rules;
    private final ScoringModels models;
    private final Rescoring rescoring;
    private final Campaigns campaigns;

    RuleChanges(ScoringRules rules, ScoringModels models, Rescoring rescoring, Campaigns campaigns) {
        this.rules = rules;
        this.models = models;
        this.rescoring = rescoring;
        this.campaigns = campaigns;
    }

    /** What rescoring would change with these rule changes made. Stores nothing. */
    public Rescoring.Summary preview(List<Change> changes) {
        List<RuleValues> values = validate(changes);
        ScoringModel current = models.current();
        List<ScoringRule> candidate = new ArrayList<>(current.rules());
        long standIn = -1;
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            if (c.ruleId() == null) {
                candidate.add(values.get(i).toRule(standIn--));
            } else {
                candidate.removeIf(r -> r.id() == c.ruleId());
                if (!c.delete()) {
                    candidate.add(values.get(i).toRule(c.ruleId()));
                }
            }
        }
        return rescoring.preview(new ScoringModel(candidate, current.decay(), current.floor()));
    }

    /** Makes the changes, then rescores every prospect with the new model. */
    public Applied apply(List<Change> changes) {
        List<RuleValues> values = validate(changes);
        List<Change> undo = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            if (c.ruleId() == null) {
                undo.add(new Change(rules.create(values.get(i)).id(), true, null));
            } else {
                Map<String, Object> before = RuleValues.of(rules.get(c.ruleId()));
                if (c.delete()) {
                    rules.delete(c.ruleId());
                    undo.add(new Change(null, false, before));
                } else {
                    rules.update(c.ruleId(), values.get(i));
                    undo.add(new Change(c.ruleId(), false, before));
                }
            }
        }
        return new Applied(rescoring.apply(), undo.reversed());
    }

    /** Every change's resulting values (null for a deletion), or every problem at once ("changes[2].points"). */
    private List<RuleValues> validate(List<Change> changes) {
        if (changes.isEmpty()) {
            throw new InvalidInputException(List.of(new FieldError("changes", "must name at least one change")));
        }
        List<FieldError> errors = new ArrayList<>();
        List<RuleValues> values = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            String prefix = "changes[" + i + "].";
            RuleValues v = null;
            try {
                if (c.ruleId() != null && rules.find(c.ruleId()).isEmpty()) {
                    errors.add(new FieldError(prefix + "ruleId", "names no scoring rule"));
                } else if (!c.delete()) {
                    Map<String, Object> raw = new LinkedHashMap<>();
                    if (c.ruleId() != null) {
                        raw.putAll(RuleValues.of(rules.get(c.ruleId())));
                    }
                    if (c.body() != null) {
                        raw.putAll(c.body());
                    }
                    v = RuleValues.validate(raw, campaigns::exists);
                } else if (c.ruleId() == null) {
                    errors.add(new FieldError(prefix + "ruleId", "is required to delete"));
                }
            } catch (InvalidInputException e) {
                e.errors().forEach(f -> errors.add(new FieldError(prefix + f.field(), f.message())));
            }
            values.add(v);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return values;
    }
}
