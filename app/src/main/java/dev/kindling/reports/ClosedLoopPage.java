package dev.kindling.reports;

import dev.kindling.grading.CriteriaChanges;
import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import dev.kindling.scoring.RuleChanges;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /reports/closed-loop}: the closed-loop report as a page, and the apply flow — the selected suggestions are
 * previewed as a rescore with the rules they would make ({@link RuleChanges#preview}), then applied (rules written,
 * every prospect rescored); the answer carries the changes that undo it, applied the same way. The selected suggested
 * grading criteria likewise: previewed as grade changes ({@link CriteriaChanges#preview}), added to the default
 * profile (its prospects re-graded), and removed again to undo. The form posts are
 * ADMIN and MARKETING only (the default for form posts, docs/ui.md).
 */
@Controller
class ClosedLoopPage {

    static final int DEFAULT_DAYS = 365;

    private final ClosedLoopReport report;
    private final ReportDatabase reports;
    private final RuleChanges changes;
    private final CriteriaChanges criteriaChanges;
    private final JsonMapper json;
    private final Clock clock;

    ClosedLoopPage(
            ClosedLoopReport report,
            ReportDatabase reports,
            RuleChanges changes,
            CriteriaChanges criteriaChanges,
            JsonMapper json,
            Clock clock) {
        this.report = report;
        this.reports = reports;
        this.changes = changes;
        this.criteriaChanges = criteriaChanges;
        this.json = json;
        this.clock = clock;
    }

    record Filters(String from, String to, String minProspects) {}

    @GetMapping("/reports/closed-loop")
    String page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects,
            Model page,
            HttpServletResponse response) {
        Filters f = filters(from, to, minProspects);
        page.addAttribute("filters", f);
        try {
            ClosedLoopQuery q = ClosedLoopQuery.parse(f.from(), f.to(), f.minProspects());
            ReportDatabase.Read<ClosedLoopReport.Report> read = reports.read(() -> report.run(q));
            show(read.value(), page);
            page.addAttribute("freshness", read.freshness());
        } catch (InvalidInputException e) {
            error(page, response, e);
        }
        return "reports/closed-loop";
    }

    @GetMapping("/reports/closed-loop/export")
    ResponseEntity<String> export(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects) {
        ClosedLoopQuery q = ClosedLoopQuery.parse(from, to, minProspects);
        return ClosedLoopController.csvResponse(
                q, reports.read(() -> report.run(q)).value());
    }

    /** The selected suggestions ({@code pick}: indexes into the actions) previewed as a rescore. Stores nothing. */
    @PostMapping("/reports/closed-loop/preview")
    String preview(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects,
            @RequestParam(name = "pick", required = false) List<Integer> picks,
            Model page,
            HttpServletResponse response) {
        Filters filters = filters(from, to, minProspects);
        ClosedLoopReport.Report r = render(filters, page, response);
        if (r == null) {
            return "reports/closed-loop";
        }
        List<Map<String, Object>> selected = new ArrayList<>();
        for (int i : picks == null ? List.<Integer>of() : picks) {
            if (i < 0 || i >= r.actions().size() || r.actions().get(i).rule() == null) {
                return error(
                        page,
                        response,
                        new InvalidInputException(java.util.List.of(
                                new dev.kindling.platform.web.FieldError("pick", "names no suggestion"))));
            }
            ClosedLoopReport.ActionView a = r.actions().get(i);
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("ruleId", a.ruleId());
            change.put("delete", false);
            change.put("body", a.rule());
            change.put("label", a.action().get("label"));
            selected.add(change);
        }
        try {
            page.addAttribute("preview", changes.preview(parse(selected)));
            page.addAttribute("selected", selected);
            page.addAttribute("changesJson", json.writeValueAsString(selected));
        } catch (InvalidInputException e) {
            return error(page, response, e);
        }
        return "reports/closed-loop";
    }

    /** Applies the previewed changes (or an undo): rules written, every prospect rescored. */
    @PostMapping("/reports/closed-loop/apply")
    String apply(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects,
            @RequestParam String changes,
            Model page,
            HttpServletResponse response) {
        Filters filters = filters(from, to, minProspects);
        try {
            RuleChanges.Applied applied = this.changes.apply(parse(read(changes)));
            page.addAttribute("applied", applied);
            List<Map<String, Object>> undo = new ArrayList<>();
            for (RuleChanges.Change c : applied.undo()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ruleId", c.ruleId());
                m.put("delete", c.delete());
                m.put("body", c.body());
                undo.add(m);
            }
            page.addAttribute("undoJson", json.writeValueAsString(undo));
        } catch (InvalidInputException e) {
            render(filters, page, response);
            return error(page, response, e);
        }
        render(filters, page, response);
        return "reports/closed-loop";
    }

    /**
     * The selected suggested grading criteria ({@code fitPick}: indexes into the fit rows) previewed as the grade
     * changes they would make to the default profile's prospects. Stores nothing.
     */
    @PostMapping("/reports/closed-loop/grading/preview")
    String gradingPreview(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects,
            @RequestParam(name = "fitPick", required = false) List<Integer> picks,
            Model page,
            HttpServletResponse response) {
        ClosedLoopReport.Report r = render(filters(from, to, minProspects), page, response);
        if (r == null) {
            return "reports/closed-loop";
        }
        try {
            List<Map<String, Object>> criteria = criteria(r, picks, null);
            page.addAttribute("gradingPreview", criteriaChanges.preview(criteria, List.of()));
            page.addAttribute("gradingSelected", criteria);
            page.addAttribute(
                    "gradingExpected",
                    criteria.stream().map(ClosedLoopPage::digest).toList());
            page.addAttribute("gradingPicks", picks);
        } catch (InvalidInputException e) {
            return error(page, response, e);
        } catch (ConflictException e) {
            return conflict(page, response, e);
        }
        return "reports/closed-loop";
    }

    /**
     * Adds the previewed criteria to the default profile ({@code undo}: removes them again) and re-grades its
     * prospects. {@code expected} are the digests of the criteria the preview showed: if the suggestions changed
     * since, nothing is done.
     */
    @PostMapping({"/reports/closed-loop/grading/apply", "/reports/closed-loop/grading/undo"})
    String gradingApply(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects,
            @RequestParam(name = "fitPick", required = false) List<Integer> picks,
            @RequestParam(name = "expected", required = false) List<String> expected,
            jakarta.servlet.http.HttpServletRequest request,
            Model page,
            HttpServletResponse response) {
        boolean undo = request.getRequestURI().endsWith("/undo");
        Filters filters = filters(from, to, minProspects);
        ClosedLoopReport.Report r = render(filters, page, response);
        if (r == null) {
            return "reports/closed-loop";
        }
        try {
            List<Map<String, Object>> criteria = criteria(r, picks, expected == null ? List.of() : expected);
            CriteriaChanges.Applied applied =
                    undo ? criteriaChanges.apply(List.of(), criteria) : criteriaChanges.apply(criteria, List.of());
            page.addAttribute("gradingApplied", applied);
            page.addAttribute("gradingUndone", undo);
            page.addAttribute("gradingSelected", criteria);
            page.addAttribute(
                    "gradingExpected",
                    criteria.stream().map(ClosedLoopPage::digest).toList());
            page.addAttribute("gradingPicks", picks);
        } catch (InvalidInputException e) {
            return error(page, response, e);
        } catch (ConflictException e) {
            return conflict(page, response, e);
        }
        render(filters, page, response);
        return "reports/closed-loop";
    }

    /** The picked fit rows' criteria; when {@code expected} is given, they must be exactly those. */
    private static List<Map<String, Object>> criteria(
            ClosedLoopReport.Report r, List<Integer> picks, List<String> expected) {
        List<Map<String, Object>> criteria = new ArrayList<>();
        for (int i : picks == null ? List.<Integer>of() : picks) {
            if (i < 0 || i >= r.fit().size() || r.fit().get(i).criterion() == null) {
                throw InvalidInputException.of("fitPick", "names no suggested criterion");
            }
            criteria.add(r.fit().get(i).criterion());
        }
        if (criteria.isEmpty()) {
            throw InvalidInputException.of("fitPick", "select at least one suggested criterion");
        }
        if (expected != null
                && !criteria.stream().map(ClosedLoopPage::digest).toList().equals(expected)) {
            throw InvalidInputException.of("fitPick", "the suggestions changed since the preview: preview again");
        }
        return criteria;
    }

    /** A criterion as the forms carry it: a digest (no commas, which a single list parameter would split on). */
    static String digest(Map<String, Object> criterion) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(criterion.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String conflict(Model page, HttpServletResponse response, ConflictException e) {
        response.setStatus(409);
        page.addAttribute("errors", List.of(new dev.kindling.platform.web.FieldError("grading", e.getMessage())));
        return "reports/closed-loop";
    }

    private List<Map<String, Object>> read(String text) {
        try {
            JsonNode node = json.readTree(text);
            List<Map<String, Object>> list = new ArrayList<>();
            if (node.isArray() && node.size() <= 1000) {
                for (JsonNode n : node) {
                    list.add(JsonValues.object(n, "changes"));
                }
                return list;
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw InvalidInputException.of("changes", "must be the list of changes the preview gave");
    }

    @SuppressWarnings("unchecked")
    private static List<RuleChanges.Change> parse(List<Map<String, Object>> raw) {
        List<RuleChanges.Change> list = new ArrayList<>();
        for (Map<String, Object> m : raw) {
            Object id = m.get("ruleId");
            Object body = m.get("body");
            if ((id != null && !(id instanceof Number)) || (body != null && !(body instanceof Map))) {
                throw InvalidInputException.of("changes", "must be the list of changes the preview gave");
            }
            Map<String, Object> typed = body == null ? null : longs((Map<String, Object>) body);
            list.add(new RuleChanges.Change(
                    id == null ? null : ((Number) id).longValue(), Boolean.TRUE.equals(m.get("delete")), typed));
        }
        return list;
    }

    /** Whole numbers as Long, as the rule validation reads them from JSON. */
    private static Map<String, Object> longs(Map<String, Object> body) {
        Map<String, Object> m = new LinkedHashMap<>();
        body.forEach((k, v) -> m.put(k, v instanceof Integer i ? (Object) (long) i : v));
        return m;
    }

    private String error(Model page, HttpServletResponse response, InvalidInputException e) {
        response.setStatus(e.status().value());
        page.addAttribute("errors", e.errors());
        return "reports/closed-loop";
    }

    private Filters filters(String from, String to, String minProspects) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return new Filters(
                blank(from) ? today.minusDays(DEFAULT_DAYS - 1).toString() : from,
                blank(to) ? today.toString() : to,
                blank(minProspects) ? "" + ClosedLoopQuery.DEFAULT_MIN_PROSPECTS : minProspects);
    }

    /**
     * The report for the previews and applies, read from the primary (never the read replica): what they change is
     * checked against the suggestions as they are now, not as a replica last saw them.
     */
    private ClosedLoopReport.Report render(Filters f, Model page, HttpServletResponse response) {
        page.addAttribute("filters", f);
        try {
            ClosedLoopReport.Report r = report.run(ClosedLoopQuery.parse(f.from(), f.to(), f.minProspects()));
            show(r, page);
            return r;
        } catch (InvalidInputException e) {
            error(page, response, e);
            return null;
        }
    }

    private static void show(ClosedLoopReport.Report r, Model page) {
        page.addAttribute("report", r);
        double maxLift = r.actions().stream()
                .mapToDouble(a -> a.lift() == null ? 0 : a.lift())
                .max()
                .orElse(0);
        page.addAttribute("maxLift", maxLift);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
