package dev.kindling.grading;

import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.FieldType;
import dev.kindling.engine.grading.FitField;
import dev.kindling.engine.grading.Operator;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * The grading profile editor ({@code /grading}): profiles with their criteria, a form to add or
 * edit one criterion, a form to add a profile, and the assignment rules. Every save goes through
 * the same validation and re-grading as the API. Plain forms, no JavaScript needed.
 */
@Controller
class GradingPages {

    /** The criterion form's values, as typed. */
    public record CriterionForm(String label, String field, String operator, String values, String weight) {

        static CriterionForm blank() {
            return new CriterionForm("", "jobTitle", "matchesAny", "", "2");
        }

        static CriterionForm of(Criterion c) {
            return new CriterionForm(
                    c.label(),
                    c.condition().field().fieldName(),
                    c.condition().operator().operatorName(),
                    String.join(
                            ", ",
                            c.condition().values().stream()
                                    .map(GradingPages::shown)
                                    .toList()),
                    Integer.toString(c.weight()));
        }
    }

    private final GradingProfiles profiles;
    private final GradingChanges changes;

    GradingPages(GradingProfiles profiles, GradingChanges changes) {
        this.profiles = profiles;
        this.changes = changes;
    }

    @GetMapping("/grading")
    ModelAndView list() {
        ModelAndView mav = new ModelAndView("grading/profiles");
        List<StoredProfile> all = profiles.list();
        Map<Long, String> names = new LinkedHashMap<>();
        all.forEach(p -> names.put(p.profile().id(), p.profile().name()));
        mav.addObject("profiles", all);
        mav.addObject("rules", profiles.rules());
        mav.addObject("profileNames", names);
        return mav;
    }

    @PostMapping("/grading")
    ModelAndView createProfile(@RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        try {
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("name", name);
            long id = changes.create(ProfileInput.profile(raw));
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
        return form(profile, criterionId, CriterionForm.of(criterion.get()), List.of());
    }

    /** Adds a criterion ({@code criterionId} absent) or replaces one, then re-grades the profile's prospects. */
    @PostMapping({"/grading/{profileId}/criteria", "/grading/{profileId}/criteria/{criterionId}"})
    ModelAndView saveCriterion(
            @PathVariable long profileId,
            @PathVariable(required = false) Long criterionId,
            CriterionForm form,
            RedirectAttributes redirect) {
        StoredProfile profile = profiles.get(profileId);
        List<Map<String, Object>> criteria = new ArrayList<>();
        int position = -1;
        for (Criterion c : profile.profile().criteria()) {
            if (criterionId != null && c.id() == criterionId) {
                position = criteria.size();
                criteria.add(raw(form));
            } else {
                criteria.add(raw(CriterionForm.of(c)));
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
        List<Map<String, Object>> criteria = new ArrayList<>();
        for (Criterion c : profile.profile().criteria()) {
            if (c.id() != criterionId) {
                criteria.add(raw(CriterionForm.of(c)));
            }
        }
        return save(profile, criteria, -1, criterionId, null, "Criterion removed", redirect);
    }

    private ModelAndView save(
            StoredProfile profile,
            List<Map<String, Object>> criteria,
            int position,
            Long criterionId,
            CriterionForm form,
            String what,
            RedirectAttributes redirect) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", profile.profile().name());
        raw.put("criteria", criteria);
        try {
            Grader.Regraded regraded = changes.replace(profile.profile().id(), ProfileInput.profile(raw));
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
        mav.addObject("fields", Arrays.stream(FitField.values()).toList());
        mav.addObject("operators", Arrays.stream(Operator.values()).toList());
        return mav;
    }

    /** A criterion form as the API would receive it: values split on commas, numbers parsed for number fields. */
    private static Map<String, Object> raw(CriterionForm form) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("label", form.label());
        raw.put("field", form.field());
        raw.put("operator", form.operator());
        FitField field = FitField.byName(form.field());
        List<Object> values = new ArrayList<>();
        for (String part : (form.values() == null ? "" : form.values()).split(",")) {
            String v = part.strip();
            if (v.isEmpty()) {
                continue;
            }
            if (field != null && field.type() == FieldType.NUMBER) {
                try {
                    BigDecimal d = new BigDecimal(v);
                    values.add(d.scale() <= 0 ? (Object) d.longValueExact() : d);
                } catch (NumberFormatException | ArithmeticException e) {
                    values.add(v);
                }
            } else {
                values.add(v);
            }
        }
        raw.put("values", values);
        try {
            raw.put(
                    "weight",
                    Long.parseLong(form.weight() == null ? "" : form.weight().strip()));
        } catch (NumberFormatException e) {
            raw.put("weight", form.weight());
        }
        return raw;
    }

    private static Optional<Criterion> criterion(StoredProfile profile, long id) {
        return profile.profile().criteria().stream().filter(c -> c.id() == id).findFirst();
    }

    static String shown(Object value) {
        return value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(value);
    }
}
