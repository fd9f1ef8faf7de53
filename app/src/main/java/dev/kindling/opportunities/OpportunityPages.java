package dev.kindling.opportunities;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The opportunity pages: {@code /opportunities} (the list, filtered by status), {@code /opportunities/{id}} (one deal,
 * its contacts, and for the sales roles: edit, won, lost, contacts), and the "new opportunity" form of the prospect
 * page. Writes are plain form posts (CSRF) answered with a redirect and a notice or the problems; ADMIN, INSIDE_SALES
 * and SALES only, by the UI write rules of {@code SecurityConfiguration} (others get 403, as on the API).
 */
@Controller
class OpportunityPages {

    static final int PAGE = 50;

    private final Opportunities opportunities;

    OpportunityPages(Opportunities opportunities) {
        this.opportunities = opportunities;
    }

    @GetMapping("/opportunities")
    ModelAndView list(@RequestParam(required = false) String status, @RequestParam(required = false) String cursor) {
        OpportunityStatus s = OpportunityStatus.parse(status).orElse(null);
        String c = cursor != null && cursor.strip().matches("[0-9]{1,18}") ? cursor.strip() : null;
        ModelAndView mav = new ModelAndView("opportunities/list");
        mav.addObject("page", opportunities.list(new Opportunities.Filter(s, null, null), PAGE, c));
        mav.addObject("status", s == null ? null : s.name());
        return mav;
    }

    @GetMapping("/opportunities/{id}")
    ModelAndView page(@PathVariable String id, Authentication user) {
        Optional<OpportunityView> found = parse(id).flatMap(opportunities::find);
        if (found.isEmpty()) {
            ModelAndView notFound = new ModelAndView("not-found", HttpStatus.NOT_FOUND);
            notFound.addObject("what", "opportunity");
            return notFound;
        }
        ModelAndView mav = new ModelAndView("opportunities/page");
        mav.addObject("o", found.get());
        // an opportunity a CRM owns is edited there: no edit, won, lost or contact forms
        mav.addObject("mayWrite", OpportunityPanel.mayWrite(user) && found.get().editable());
        mav.addObject("roles", List.of(ContactRole.values()));
        mav.addObject("reasons", List.of(LostReason.values()));
        return mav;
    }

    /** The prospect page's "new opportunity" form: the prospect is its primary contact. */
    @PostMapping("/opportunities")
    String create(
            @RequestParam long prospectId,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String amount,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String closeDate,
            @RequestParam(required = false) String role,
            Authentication user,
            RedirectAttributes flash) {
        String back = "redirect:/prospects/" + prospectId;
        List<FieldError> errors = new ArrayList<>();
        BigDecimal parsedAmount = amount(amount, errors);
        LocalDate parsedDate = date(closeDate, errors);
        ContactRole parsedRole = ContactRole.parse(role);
        if (parsedRole == null) {
            errors.add(new FieldError("role", "must be one of " + List.of(ContactRole.values())));
        }
        NewOpportunity o =
                new NewOpportunity(name, null, parsedAmount, null, blankToNull(stage), parsedDate, null, null, null);
        errors.addAll(opportunities.validate(o, List.of(new NewContactRole(prospectId, parsedRole, true))));
        if (!errors.isEmpty()) {
            flash.addFlashAttribute("opportunityProblems", errors);
            return back + "#opportunities";
        }
        opportunities.create(o, List.of(new NewContactRole(prospectId, parsedRole, true)), "user:" + user.getName());
        flash.addFlashAttribute("opportunityNotice", "Opportunity created.");
        return back + "#opportunities";
    }

    @PostMapping("/opportunities/{id}/won")
    String won(@PathVariable long id, Authentication user, RedirectAttributes flash) {
        return act(id, flash, "Marked won.", () -> opportunities.win(id, null, "user:" + user.getName()));
    }

    @PostMapping("/opportunities/{id}/lost")
    String lost(
            @PathVariable long id,
            @RequestParam(required = false) String reason,
            Authentication user,
            RedirectAttributes flash) {
        return act(
                id,
                flash,
                "Marked lost.",
                () -> opportunities.lose(id, LostReason.parse(reason), null, "user:" + user.getName()));
    }

    @PostMapping("/opportunities/{id}/edit")
    String edit(
            @PathVariable long id,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String amount,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String closeDate,
            RedirectAttributes flash) {
        List<FieldError> errors = new ArrayList<>();
        BigDecimal parsedAmount = amount(amount, errors);
        LocalDate parsedDate = date(closeDate, errors);
        if (!errors.isEmpty()) {
            flash.addFlashAttribute("problems", errors);
            return "redirect:/opportunities/" + id;
        }
        return act(
                id,
                flash,
                "Saved.",
                () -> opportunities.update(
                        id,
                        new OpportunityChanges(
                                blankToNull(name), parsedAmount, blankToNull(stage), parsedDate, true, null, false)));
    }

    @PostMapping("/opportunities/{id}/contacts")
    String addContact(
            @PathVariable long id,
            @RequestParam(required = false) String prospectId,
            @RequestParam(required = false) String role,
            @RequestParam(required = false) String primary,
            RedirectAttributes flash) {
        Optional<Long> prospect = parse(prospectId == null ? "" : prospectId.strip());
        if (prospect.isEmpty()) {
            flash.addFlashAttribute("problems", List.of(new FieldError("prospectId", "must be a prospect id")));
            return "redirect:/opportunities/" + id;
        }
        return act(
                id,
                flash,
                "Contact added.",
                () -> opportunities.addContact(
                        id, new NewContactRole(prospect.get(), ContactRole.parse(role), primary != null)));
    }

    @PostMapping("/opportunities/{id}/contacts/{prospectId}/remove")
    String removeContact(@PathVariable long id, @PathVariable long prospectId, RedirectAttributes flash) {
        return act(id, flash, "Contact removed.", () -> opportunities.removeContact(id, prospectId));
    }

    private String act(long id, RedirectAttributes flash, String notice, Runnable action) {
        try {
            action.run();
            flash.addFlashAttribute("notice", notice);
        } catch (InvalidInputException e) {
            flash.addFlashAttribute("problems", e.errors());
        } catch (ConflictException | NotFoundException e) {
            flash.addFlashAttribute("problems", List.of(new FieldError("opportunity", e.getMessage())));
        }
        return "redirect:/opportunities/" + id;
    }

    private static BigDecimal amount(String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        BigDecimal amount = Amounts.parse(raw);
        if (amount == null) {
            errors.add(new FieldError("amount", "must be a number such as 12500, 12,500 or 12500.00"));
        }
        return amount;
    }

    private static LocalDate date(String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return InputDates.date(raw.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("closeDate", "must be a date YYYY-MM-DD"));
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Optional<Long> parse(String raw) {
        try {
            return Optional.of(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
