package dev.kindling.grading;

import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.grading.GradingProfile;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Criteria added to and removed from the default grading profile at once — the closed-loop report's suggested
 * criteria — previewed as the grade changes they would make before anything is stored, then applied as an edit of the
 * profile (audited, its prospects re-graded, grade history appended). Undo is applying the inverse change: removing
 * what was added. Criteria are the bodies of the grading API's criteria ({@code label, field, operator, values,
 * weight}), validated exactly as that API validates them.
 */
@Component
public class CriteriaChanges {

    /** One grade move: how many prospects would go from {@code from} to {@code to}. */
    public record Move(String from, String to, long prospects) {}

    /**
     * What the change would do to the default profile's prospects: examined, changed, raised and lowered, and every
     * move between grades. Nothing is stored.
     */
    public record Preview(
            long profileId,
            String profileName,
            long prospects,
            long changed,
            long raised,
            long lowered,
            List<Move> moves) {}

    /** The re-grade done after the profile was changed. */
    public record Applied(long profileId, String profileName, long prospects, long changed) {}

    private final GradingProfiles profiles;
    private final GradingChanges changes;
    private final Grader grader;
    private final ProfileInput input;
    private final ConditionCodec conditions;
    private final JsonMapper json;

    CriteriaChanges(
            GradingProfiles profiles,
            GradingChanges changes,
            Grader grader,
            ProfileInput input,
            ConditionCodec conditions,
            JsonMapper json) {
        this.profiles = profiles;
        this.changes = changes;
        this.grader = grader;
        this.input = input;
        this.conditions = conditions;
        this.json = json;
    }

    /**
     * A criterion body in a line of text, as a page shows it: {@code label: condition, weight n} (the condition as
     * {@link ConditionCodec#describe} writes it, "inactive" without one).
     */
    public String describe(Map<String, Object> criterion) {
        try {
            Criterion c = input.criteria("criterion", json.valueToTree(List.of(criterion)))
                    .getFirst();
            return c.label() + ": " + (c.condition() == null ? "inactive" : conditions.describe(c.condition()))
                    + ", weight " + c.weight();
        } catch (InvalidInputException e) {
            return String.valueOf(criterion);
        }
    }

    /** What adding {@code add} to and removing {@code remove} from the default profile would change. */
    public Preview preview(List<Map<String, Object>> add, List<Map<String, Object>> remove) {
        StoredProfile current = defaultProfile();
        GradingProfile candidate =
                new GradingProfile(current.profile().id(), current.profile().name(), candidate(current, add, remove));
        Grader.Moves moves = grader.preview(candidate.id(), candidate);
        List<Move> list = new ArrayList<>();
        long raised = 0;
        long lowered = 0;
        for (Map.Entry<String, Long> e : moves.moves().entrySet()) {
            String[] ft = e.getKey().split("→", 2);
            list.add(new Move(ft[0], ft[1], e.getValue()));
            int from = Grade.parse(ft[0]).map(Enum::ordinal).orElse(-1);
            int to = Grade.parse(ft[1]).map(Enum::ordinal).orElse(-1);
            if (to > from) {
                raised += e.getValue();
            } else {
                lowered += e.getValue();
            }
        }
        list.sort(java.util.Comparator.comparingLong(Move::prospects)
                .reversed()
                .thenComparing(Move::from)
                .thenComparing(Move::to));
        return new Preview(
                candidate.id(), candidate.name(), moves.prospects(), raised + lowered, raised, lowered, list);
    }

    /** Adds and removes the criteria (an audited profile edit), then re-grades the profile's prospects. */
    public Applied apply(List<Map<String, Object>> add, List<Map<String, Object>> remove) {
        StoredProfile current = defaultProfile();
        Grader.Regraded regraded = changes.replace(
                current.profile().id(),
                new ProfileInput.Profile(current.profile().name(), candidate(current, add, remove)));
        return new Applied(current.profile().id(), current.profile().name(), regraded.prospects(), regraded.changed());
    }

    private StoredProfile defaultProfile() {
        long id = profiles.defaultProfileId()
                .orElseThrow(() -> new ConflictException("Grading is not set up yet: there is no default profile"));
        return profiles.get(id);
    }

    /** The profile's criteria without one equal criterion per removal, then the additions; 409 if one is absent. */
    private List<Criterion> candidate(
            StoredProfile current, List<Map<String, Object>> add, List<Map<String, Object>> remove) {
        List<Criterion> added = input.criteria("add", json.valueToTree(add));
        List<Criterion> removed = input.criteria("remove", json.valueToTree(remove));
        List<Criterion> criteria = new ArrayList<>(current.profile().criteria());
        for (Criterion r : removed) {
            Criterion match = criteria.stream()
                    .filter(c -> key(c).equals(key(r)))
                    .findFirst()
                    .orElseThrow(() -> new ConflictException(
                            "The profile \"" + current.profile().name() + "\" has no criterion \"" + r.label() + "\" ("
                                    + key(r) + ") to remove any more"));
            criteria.remove(match);
        }
        criteria.addAll(added);
        if (criteria.size() > ProfileInput.MAX_CRITERIA) {
            throw InvalidInputException.of(
                    "add", "the profile may have at most " + ProfileInput.MAX_CRITERIA + " criteria");
        }
        return criteria;
    }

    /** What makes two criteria the same test: condition (its JSON form) and weight (not the label). */
    private String key(Criterion c) {
        return (c.condition() == null
                        ? "inactive"
                        : conditions.write(c.condition()).toString()) + " weight " + c.weight();
    }
}
