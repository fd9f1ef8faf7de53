package dev.kindling.sales;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The inside-sales pages: {@code /sales/queue} (a plain GET form of filters over the queue), {@code /sales/leads/{id}}
 * (the sales view: the lead's state, SLA, attempts and actions, its score and grade explained by the scoring and
 * grading fragments, its opportunities and timeline) and the action forms, which call the same service as the API
 * and answer with a redirect carrying a notice or the errors (Post/Redirect/Get).
 */
@Controller
class SalesPages {

    private final JdbcClient jdbc;
    private final SalesLeads leads;
    private final SalesActions actions;
    private final Prospects prospects;
    private final dev.kindling.opportunities.Opportunities opportunities;
    private final Tasks tasks;

    SalesPages(
            JdbcClient jdbc,
            SalesLeads leads,
            SalesActions actions,
            Prospects prospects,
            dev.kindling.opportunities.Opportunities opportunities,
            Tasks tasks) {
        this.tasks = tasks;
        this.jdbc = jdbc;
        this.leads = leads;
        this.actions = actions;
        this.prospects = prospects;
        this.opportunities = opportunities;
    }

    @GetMapping("/sales/queue")
    String queue(
            @RequestParam(required = false) String scope,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String sla,
            @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "1") int page,
            Authentication who,
            Model model,
            HttpServletResponse response) {
        Rep rep = Rep.of(who, jdbc);
        model.addAttribute("rep", rep);
        model.addAttribute("maySell", rep.maySell());
        try {
            model.addAttribute("queue", leads.queue(rep, scope, stage, sla, q, page));
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("errors", e.errors());
            model.addAttribute("queue", leads.queue(rep, null, null, null, null, 1));
        }
        return "sales/queue";
    }

    @GetMapping("/sales/leads/{id}")
    ModelAndView lead(@PathVariable long id, Authentication who) {
        Optional<SalesLeads.Lead> lead = leads.lead(id);
        Optional<ProspectView> p = prospects.find(id);
        if (lead.isEmpty() || p.isEmpty()) {
            ModelAndView notFound = new ModelAndView("not-found", HttpStatus.NOT_FOUND);
            notFound.addObject("what", "lead");
            return notFound;
        }
        ModelAndView mav = new ModelAndView("sales/lead");
        mav.addObject("lead", lead.get());
        mav.addObject("p", p.get());
        mav.addObject("maySell", Rep.of(who, jdbc).maySell());
        mav.addObject("opportunities", opportunities.ofProspect(id));
        mav.addObject("tasks", tasks.ofProspect(id));
        mav.addObject("attemptKinds", List.of(SalesActions.AttemptKind.values()));
        mav.addObject("attemptOutcomes", List.of(SalesActions.AttemptOutcome.values()));
        mav.addObject("rejectReasons", List.of(dev.kindling.engine.sla.RejectReason.values()));
        mav.addObject("contactRoles", List.of(dev.kindling.opportunities.ContactRole.values()));
        mav.addObject(
                "timeline",
                jdbc.sql("""
                        SELECT type, occurred_at FROM activity WHERE prospect_id = :id
                         ORDER BY occurred_at DESC, id DESC LIMIT 30""")
                        .param("id", id)
                        .query((rs, n) -> Map.of(
                                "type",
                                rs.getString(1),
                                "at",
                                rs.getTimestamp(2).toInstant()))
                        .list());
        return mav;
    }

    @PostMapping("/sales/leads/{id}/attempts")
    String attempt(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication who,
            RedirectAttributes flash) {
        Rep rep = Rep.of(who, jdbc);
        return act(id, flash, () -> {
            actions.logAttempt(id, SalesActions.attempt(fields(form, "kind", "outcome", "note")), rep);
            return "Attempt logged.";
        });
    }

    @PostMapping("/sales/leads/{id}/accept")
    String accept(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication who,
            RedirectAttributes flash) {
        Rep rep = Rep.of(who, jdbc);
        return act(id, flash, () -> {
            actions.accept(id, SalesActions.acceptNote(fields(form, "note")), rep);
            return "Accepted: the lead is now SAL.";
        });
    }

    @PostMapping("/sales/leads/{id}/reject")
    String reject(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication who,
            RedirectAttributes flash) {
        Rep rep = Rep.of(who, jdbc);
        return act(id, flash, () -> {
            actions.reject(id, SalesActions.reject(fields(form, "reason", "note")), rep);
            return "Rejected: the lead went back to marketing (RECYCLED).";
        });
    }

    @PostMapping("/sales/leads/{id}/convert")
    String convert(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication who,
            RedirectAttributes flash) {
        Rep rep = Rep.of(who, jdbc);
        String page = act(id, flash, () -> {
            Map<String, Object> raw = fields(form, "name", "stage", "closeDate", "role");
            String amount = form.get("amount");
            if (amount != null && !amount.isBlank()) {
                java.math.BigDecimal parsed = dev.kindling.opportunities.Amounts.parse(amount);
                raw.put("amount", parsed != null ? parsed : amount);
            }
            long opportunity = actions.convert(id, SalesActions.convert(raw), rep);
            return "Converted: opportunity " + opportunity + " created, the lead is now SQL.";
        });
        if (flash.getFlashAttributes().containsKey("errors")) {
            // the form shows again with what was typed, each error next to its field
            flash.addFlashAttribute("convertForm", fields(form, "name", "amount", "closeDate", "role"));
        }
        return page;
    }

    @PostMapping("/sales/leads/{id}/tasks")
    String addTask(
            @PathVariable long id,
            @RequestParam Map<String, String> form,
            Authentication who,
            RedirectAttributes flash) {
        Rep rep = Rep.of(who, jdbc);
        return act(id, flash, () -> {
            Map<String, Object> raw = fields(form, "subject");
            String hours = form.get("dueInHours");
            if (hours != null && !hours.isBlank()) {
                raw.put("dueInHours", hours.strip().matches("\\d{1,9}") ? (Object) Long.valueOf(hours.strip()) : hours);
            }
            tasks.add(id, tasks.request(raw), rep);
            return "Task added.";
        });
    }

    /** Completes a task; {@code back=queue} returns to the queue instead of the lead. */
    @PostMapping("/sales/leads/{id}/tasks/{taskId}/complete")
    String completeTask(
            @PathVariable long id,
            @PathVariable long taskId,
            @RequestParam(required = false) String back,
            Authentication who,
            RedirectAttributes flash) {
        Rep rep = Rep.of(who, jdbc);
        String page = act(id, flash, () -> {
            if (tasks.get(taskId).prospectId() != id) {
                throw new NotFoundException("No task " + taskId + " on this lead");
            }
            tasks.complete(taskId, rep);
            return "Task done.";
        });
        return "queue".equals(back) ? "redirect:/sales/queue" : page;
    }

    private interface Action {
        String run();
    }

    private static String act(long id, RedirectAttributes flash, Action action) {
        try {
            flash.addFlashAttribute("notice", action.run());
        } catch (InvalidInputException e) {
            flash.addFlashAttribute("errors", e.errors());
        } catch (ConflictException | NotFoundException e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/sales/leads/" + id;
    }

    /** The named form fields that were filled in (a blank field is absent, as in the API's JSON). */
    private static Map<String, Object> fields(Map<String, String> form, String... names) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String name : names) {
            String v = form.get(name);
            if (v != null && !v.isBlank()) {
                raw.put(name, v);
            }
        }
        return raw;
    }
}
