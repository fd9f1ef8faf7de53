package dev.kindling.grading;

import dev.kindling.engine.grading.AssignmentRule;
import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.FitFacts;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The grading profile editor ({@code /grading}): profiles with their criteria, a form to add or
 * edit one criterion (its condition in the visual condition builder, or as JSON without JavaScript), a form to add a
 * profile, and the assignment rules. Every save goes through the same validation and re-grading as the API.
 */
@Controller
class GradingPages {

    /** The criterion form's values, as typed: the condition is its JSON (blank: none, the criterion is inactive). */
    public record CriterionForm(String label, String condition, String weight) {

        static CriterionForm blank() {
            return new CriterionForm("", "", "2");
        }
    }

    /** A line of the criteria table: the criterion and its condition in words (null when inactive). */
    public record CriterionLine(Criterion criterion, String condition) {}

    /** A line of the assignment rules table: the rule and its condition in words (null when inactive). */
    public record RuleLine(AssignmentRule rule, String condition) {}

    private final GradingProfiles profiles;
    private final GradingChanges changes;
    private final ProfileInput input;
    private final ConditionCodec conditions;
    private final JsonMapper json;

    GradingPages(
            GradingProfiles profiles,
            GradingChanges changes,
            ProfileInput input,
            ConditionCodec conditions,
            JsonMapper json) {
        this.profiles = profiles;
        this.changes = changes;
        this.input = input;
        this.conditions = conditions;
        this.json = json;
    }

    private CriterionForm form(Criterion c) {
        return new CriterionForm(
                c.label(),
                c.condition() == null ? "" : conditions.write(c.condition()).toString(),
                Integer.toString(c.weight()));
    }

    @GetMapping("/grading")
    ModelAndView list() {
        ModelAndView mav = new ModelAndView("grading/profiles");
        List<StoredProfile> all = profiles.list();
        Map<Long, String> names = new LinkedHashMap<>();
        all.forEach(p -> names.put(p.profile().id(), p.profile().name()));
        mav.addObject("profiles", all);
        Map<Long, List<CriterionLine>> lines = new LinkedHashMap<>();
        all.forEach(p -> lines.put(
                p.profile().id(),
                p.profile().criteria().stream()
                        .map(c -> new CriterionLine(c, describe(c.condition())))
                        .toList()));
        mav.addObject("criteria", lines);
        mav.addObject(
                "rules",
                profiles.rules().stream()
                        .map(r -> new RuleLine(r, describe(r.condition())))
                        .toList());
        mav.addObject("profileNames", names);
        return mav;
    }

    @PostMapping("/grading")
    ModelAndView createProfile(@RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        try {
            ObjectNode raw = JsonNodeFactory.instance.objectNode();
            raw.put("name", name);
            long id = changes.create(input.profile(raw));
            redirect.addFlashAttribute(
                    "saved", "Profile created. Add criteria, then send prospects to it with an assignment rule.");
            return new ModelAndView("redirect:/grading#profile-" + id);
        } catch (InvalidInputException e) {
            ModelAndView mav = list();
            mav.addObject("profileErrors", e.errors());
            mav.addObject("newName", name);
            mav.setStatus(HttpStatus.BAD_REQUEST);
            return mav;
        }
    }

    @GetMapping("/grading/{profileId}/criteria/new")
    ModelAndView newCriterion(@PathVariable long profileId) {
        return form(profiles.get(profileId), null, CriterionForm.blank(), List.of());
    }

    @GetMapping("/grading/{profileId}/criteria/{criterionId}")
    ModelAndView editCriterion(@PathVariable long profileId, @PathVariable long criterionId) {
        StoredProfile profile = profiles.get(profileId);
        Optional<Criterion> criterion = criterion(profile, criterionId);
        if (criterion.isEmpty()) {
            ModelAndView notFound = new ModelAndView("not-found", HttpStatus.NOT_FOUND);
            notFound.addObject("what", "criterion");
            return notFound;
        }
        return form(profile, criterionId, form(criterion.get()), List.of());
    }

    /** Adds a criterion ({@code criterionId} absent) or replaces one, then re-grades the profile's prospects. */
    @PostMapping({"/grading/{profileId}/criteria", "/grading/{profileId}/criteria/{criterionId}"})
    ModelAndView saveCriterion(
            @PathVariable long profileId,
            @PathVariable(required = false) Long criterionId,
            CriterionForm form,
            RedirectAttributes redirect) {
        StoredProfile profile = profiles.get(profileId);
        ArrayNode criteria = JsonNodeFactory.instance.arrayNode();
        int position = -1;
        for (Criterion c : profile.profile().criteria()) {
            if (criterionId != null && c.id() == criterionId) {
                position = criteria.size();
                criteria.add(raw(form));
            } else {
                criteria.add(raw(form(c)));
            }
        }
        if (position < 0) {
            position = criteria.size();
            criteria.add(raw(form));
        }
        return save(profile, criteria, position, criterionId, form, "Criterion saved", redirect);
    }

    @PostMapping("/grading/{profileId}/criteria/{criterionId}/delete")
    ModelAndView deleteCriterion(
            @PathVariable long profileId, @PathVariable long criterionId, RedirectAttributes redirect) {
        StoredProfile profile = profiles.get(profileId);
        ArrayNode criteria = JsonNodeFactory.instance.arrayNode();
        for (Criterion c : profile.profile().criteria()) {
            if (c.id() != criterionId) {
                criteria.add(raw(form(c)));
            }
        }
        return save(profile, criteria, -1, criterionId, null, "Criterion removed", redirect);
    }

    private ModelAndView save(
            StoredProfile profile,
            ArrayNode criteria,
            int position,
            Long criterionId,
            CriterionForm form,
            String what,
            RedirectAttributes redirect) {
        ObjectNode raw = JsonNodeFactory.instance.objectNode();
        raw.put("name", profile.profile().name());
        raw.set("criteria", criteria);
        try {
            Grader.Regraded regraded = changes.replace(profile.profile().id(), input.profile(raw));
            redirect.addFlashAttribute(
                    "saved",
                    what + "; re-graded " + regraded.prospects() + " prospects (" + regraded.changed() + " changed) in "
                            + regraded.millis() + " ms.");
            return new ModelAndView(
                    "redirect:/grading#profile-" + profile.profile().id());
        } catch (InvalidInputException e) {
            String prefix = "criteria[" + position + "].";
            List<FieldError> errors = e.errors().stream()
                    .map(err -> new FieldError(
                            err.field().startsWith(prefix) ? err.field().substring(prefix.length()) : err.field(),
                            err.message()))
                    .toList();
            ModelAndView mav = form(profile, criterionId, form != null ? form : CriterionForm.blank(), errors);
            mav.setStatus(HttpStatus.BAD_REQUEST);
            return mav;
        }
    }

    private ModelAndView form(StoredProfile profile, Long criterionId, CriterionForm form, List<FieldError> errors) {
        ModelAndView mav = new ModelAndView("grading/criterion");
        mav.addObject("profile", profile);
        mav.addObject("criterionId", criterionId);
        mav.addObject("form", form);
        mav.addObject("errors", errors);
        mav.addObject("fields", FitFacts.FIELDS);
        return mav;
    }

    private String describe(dev.kindling.engine.condition.Condition condition) {
        return condition == null ? null : conditions.describe(condition);
    }

    /**
     * A criterion form as the API would receive it: the condition's JSON parsed (kept as text when it is no JSON, for
     * the validation to refuse at its path; left out when blank), the weight as a number when it is one.
     */
    private ObjectNode raw(CriterionForm form) {
        ObjectNode raw = JsonNodeFactory.instance.objectNode();
        raw.put("label", form.label());
        String condition = form.condition() == null ? "" : form.condition().strip();
        if (!condition.isEmpty()) {
            try {
                raw.set("condition", json.readTree(condition));
            } catch (JacksonException e) {
                raw.put("condition", condition);
            }
        }
        String weight = form.weight() == null ? "" : form.weight().strip();
        try {
            raw.put("weight", Long.parseLong(weight));
        } catch (NumberFormatException e) {
            raw.put("weight", weight);
        }
        return raw;
    }

    private static Optional<Criterion> criterion(StoredProfile profile, long id) {
        return profile.profile().criteria().stream().filter(c -> c.id() == id).findFirst();
    }
}
