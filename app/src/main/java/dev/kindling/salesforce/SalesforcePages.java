package dev.kindling.salesforce;

import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Salesforce settings and sync console page ({@code /settings/salesforce}, ADMIN): the connection form, pause and
 * resume, sync now, the status, per object what the last cycles did, the API calls against the budget, the recent
 * cycles with their notes, a prospect's record, last sync and errors (found by email or id), and the error queue
 * grouped by kind with retry and dismiss, and its CSV export. Form posts
 * (CSRF) answered with a redirect and a notice; the same services as the API.
 */
@Controller
class SalesforcePages {

    private final SalesforceSetup setup;
    private final SalesforceConsole console;
    private final SalesforceConnector connector;
    private final ErrorQueue errors;
    private final Prospects prospects;
    private final CrmSync crm;

    SalesforcePages(
            SalesforceSetup setup,
            SalesforceConsole console,
            SalesforceConnector connector,
            ErrorQueue errors,
            Prospects prospects,
            CrmSync crm) {
        this.prospects = prospects;
        this.crm = crm;
        this.setup = setup;
        this.console = console;
        this.connector = connector;
        this.errors = errors;
    }

    @GetMapping("/settings/salesforce")
    String index(@RequestParam(required = false) String prospect, Model model) {
        lookUp(prospect, model);
        if (!model.containsAttribute("form")) {
            Map<String, Object> form = new LinkedHashMap<>();
            setup.view().ifPresent(c -> {
                form.put("loginUrl", c.loginUrl());
                form.put("apiVersion", c.apiVersion());
                form.put("auth", c.auth());
                form.put("clientId", c.clientId());
                form.put("username", c.username());
                form.put("budgetPercent", c.budgetPercent());
                form.put("cycleSeconds", c.cycleSeconds());
            });
            model.addAttribute("form", form);
        }
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", List.<FieldError>of());
        }
        model.addAttribute("connection", setup.view().orElse(null));
        model.addAttribute("status", console.status());
        model.addAttribute("groups", errors.groups(SalesforceController.PER_KIND));
        return "salesforce/index";
    }

    /**
     * The console's prospect lookup: by id, or by email (as the prospect list finds it); shows what
     * {@code GET /api/v1/prospects/{id}/crm} answers.
     */
    private void lookUp(String query, Model model) {
        if (query == null || query.isBlank()) {
            return;
        }
        String q = query.strip();
        model.addAttribute("prospectQuery", q);
        Optional<ProspectView> found = q.matches("\\d{1,18}")
                ? prospects.find(Long.parseLong(q))
                : q.length() <= 320 ? prospects.findByEmail(EmailAddress.normalize(q)) : Optional.empty();
        if (found.isEmpty()) {
            model.addAttribute("prospectNotFound", true);
            return;
        }
        model.addAttribute("crm", crm.status(found.get().id()));
        model.addAttribute("crmName", found.get().displayName());
    }

    @PostMapping("/settings/salesforce")
    String save(@RequestParam Map<String, String> params, RedirectAttributes flash) {
        Map<String, Object> raw = new LinkedHashMap<>(params);
        raw.remove("_csrf");
        try {
            setup.save(raw);
            flash.addFlashAttribute("notice", "Connection saved.");
        } catch (InvalidInputException e) {
            raw.remove("clientSecret");
            raw.remove("privateKey");
            flash.addFlashAttribute("form", raw);
            flash.addFlashAttribute("errors", e.errors());
        } catch (ConflictException e) {
            flash.addFlashAttribute("notice", e.getMessage());
        }
        return "redirect:/settings/salesforce";
    }

    @PostMapping("/settings/salesforce/pause")
    String pause(RedirectAttributes flash) {
        return act(flash, () -> setup.pause(true), "Paused: no cycle runs until you resume.");
    }

    @PostMapping("/settings/salesforce/resume")
    String resume(RedirectAttributes flash) {
        return act(flash, () -> setup.pause(false), "Resumed.");
    }

    @PostMapping("/settings/salesforce/sync")
    String sync(RedirectAttributes flash) {
        return act(
                flash,
                () -> connector
                        .syncNow()
                        .orElseThrow(() -> new ConflictException("The Salesforce connector is not configured")),
                "Cycle run.");
    }

    @PostMapping("/settings/salesforce/errors/{id}/retry")
    String retry(@PathVariable long id, RedirectAttributes flash) {
        return act(
                flash,
                () -> {
                    errors.open(id);
                    connector.retry(id, null);
                },
                "Retried.");
    }

    @PostMapping("/settings/salesforce/errors/{id}/dismiss")
    String dismiss(@PathVariable long id, RedirectAttributes flash) {
        return act(
                flash,
                () -> {
                    errors.open(id);
                    errors.dismiss(id, null);
                },
                "Dismissed.");
    }

    @PostMapping("/settings/salesforce/errors/retry")
    String retryAll(@RequestParam(required = false) String kind, RedirectAttributes flash) {
        String k = kind(kind);
        return act(flash, () -> connector.retry(null, k), "Retried.");
    }

    @PostMapping("/settings/salesforce/errors/dismiss")
    String dismissAll(@RequestParam(required = false) String kind, RedirectAttributes flash) {
        String k = kind(kind);
        return act(flash, () -> errors.dismiss(null, k), "Dismissed.");
    }

    @GetMapping("/settings/salesforce/errors.csv")
    void csv(HttpServletResponse response) throws IOException {
        SalesforceController.csv(errors, response);
    }

    /** The kind a form names (null: all); an unknown one is refused rather than taken for "all". */
    private static String kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        if (!SalesforceController.isKind(kind.strip())) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST, "Unknown kind " + kind);
        }
        return kind.strip();
    }

    private static String act(RedirectAttributes flash, Runnable action, String done) {
        try {
            action.run();
            flash.addFlashAttribute("notice", done);
        } catch (ConflictException | NotFoundException e) {
            flash.addFlashAttribute("notice", e.getMessage());
        } catch (ResponseStatusException e) {
            flash.addFlashAttribute("notice", e.getReason());
        }
        return "redirect:/settings/salesforce";
    }
}
