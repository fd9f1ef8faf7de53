package dev.kindling.programs;

import dev.kindling.conditions.ConditionDescriber;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.ProgramTemplate;
import dev.kindling.engine.program.Step;
import dev.kindling.engine.program.TriggerEvent;
import dev.kindling.engine.time.BusinessHours;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The program builder: the programs, a program as a tree of its steps from the first one (a step reached again is
 * shown as "go to"), each with its report figures, and forms to insert a step on any branch, edit or remove one,
 * choose the yes / no targets, the recipient lists, and start / pause / resume. Every change is saved through the
 * same validation as the API, so the builder never stores a broken program: a new step is inserted on a branch
 * (its own branches go on where that branch went), a removed step's parents go on to its first branch.
 */
@Controller
class ProgramPages {

    /** One line of the tree: a step (or a "go to" a step shown above) under the branch that leads to it. */
    public record Row(
            int depth,
            String branch,
            String stepId,
            String type,
            String summary,
            boolean reference,
            ProgramReports.StepReport report) {}

    /** The step form's values. */
    public record StepForm(
            String mode,
            String after,
            String branch,
            String stepId,
            String type,
            String actionType,
            String actionField,
            String actionValue,
            String eventType,
            String eventFilter,
            String timing,
            String days,
            String condition,
            String next,
            String yes,
            String no,
            String waitMode,
            String untilDate,
            String untilTime,
            String untilZone) {}

    /** The business-hours part of the settings form: whether sends are held to hours, and the window. */
    public record HoursForm(boolean enabled, Set<String> days, String opens, String closes, String zone) {

        static HoursForm of(ProgramDefinition d) {
            BusinessHours h = d.businessHours();
            if (h == null) {
                return new HoursForm(
                        false, Set.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"), "09:00", "17:00", "UTC");
            }
            Set<String> days = new HashSet<>();
            h.days().forEach(day -> days.add(day.name()));
            return new HoursForm(
                    true,
                    days,
                    h.opens().toString(),
                    h.closes().toString(),
                    h.zone().getId());
        }
    }

    /** The weekdays in the order a marketer reads them. */
    public static final List<String> WEEKDAYS =
            java.util.Arrays.stream(DayOfWeek.values()).map(DayOfWeek::name).toList();

    private final Programs programs;
    private final Enrollments enrollments;
    private final ProgramReports reports;
    private final ProgramSweeper sweeper;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final dev.kindling.prospects.Prospects prospects;
    private final ConditionDescriber conditions;

    ProgramPages(
            Programs programs,
            Enrollments enrollments,
            ProgramReports reports,
            ProgramSweeper sweeper,
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            dev.kindling.prospects.Prospects prospects,
            ConditionDescriber conditions) {
        this.prospects = prospects;
        this.conditions = conditions;
        this.clock = clock;
        this.programs = programs;
        this.enrollments = enrollments;
        this.reports = reports;
        this.sweeper = sweeper;
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/programs")
    String index(Model model) {
        return index(model, List.of());
    }

    private String index(Model model, List<FieldError> errors) {
        model.addAttribute("programs", programs.all());
        model.addAttribute("templates", ProgramTemplate.values());
        model.addAttribute("lists", lists());
        model.addAttribute("errors", errors);
        model.addAttribute("mayEdit", mayEdit());
        return "programs/index";
    }

    @PostMapping("/programs")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String template,
            @RequestParam(required = false) Long listId,
            Model model) {
        try {
            Programs.ProgramRow row;
            if (!template.isBlank()) {
                row = programs.createFromTemplate(
                        ProgramTemplate.valueOf(template),
                        name,
                        listId == null ? List.of() : List.of(listId),
                        Map.of());
            } else {
                ObjectNode body = json.createObjectNode();
                body.put("name", name);
                body.put("start", "end");
                body.putArray("steps").addObject().put("id", "end").put("type", "END");
                if (listId != null) {
                    body.putArray("recipientListIds").add(listId);
                }
                row = programs.create(body);
            }
            return "redirect:/programs/" + row.id();
        } catch (InvalidInputException e) {
            return index(model, e.errors());
        }
    }

    @GetMapping("/programs/{id}")
    String page(
            @PathVariable long id,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String branch,
            @RequestParam(required = false) String edit,
            Model model) {
        ProgramDefinition d = programs.current(id);
        StepForm form = null;
        if (edit != null && d.step(edit) != null) {
            form = formOf(d.step(edit), zoneOf(d));
        } else if (branch != null) {
            form = new StepForm(
                    "insert",
                    after == null ? "" : after,
                    branch,
                    "",
                    "ACTION",
                    "adjustScore",
                    "",
                    "",
                    "",
                    "",
                    "UP_TO",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "DAYS",
                    "",
                    "09:00",
                    zoneOf(d).getId());
        }
        return page(id, form, List.of(), null, model);
    }

    private String page(long id, StepForm form, List<FieldError> errors, String notice, Model model) {
        Programs.ProgramRow row = programs.get(id);
        ProgramDefinition d = programs.definition(id, row.currentVersion());
        ProgramReports.Report report = reports.report(id);
        model.addAttribute("program", row);
        model.addAttribute("definition", d);
        model.addAttribute("rows", tree(d, report, conditions));
        model.addAttribute("canvas", ProgramCanvas.of(d, report, step -> summary(step, zoneOf(d), conditions)));
        model.addAttribute("report", report);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("mayEdit", mayEdit());
        model.addAttribute("notice", notice);
        model.addAttribute("stepIds", d.steps().stream().map(Step::id).toList());
        model.addAttribute("lists", lists());
        model.addAttribute(
                "emailTemplates",
                jdbc.sql("SELECT id, name FROM email_template ORDER BY name")
                        .query((rs, n) -> Map.of("id", rs.getLong("id"), "name", rs.getString("name")))
                        .list());
        model.addAttribute("placeholders", d.emailPlaceholders());
        model.addAttribute("enrollments", enrollments.ofProgram(id, null, 50));
        model.addAttribute("versions", programs.versions(id));
        model.addAttribute("conditionJson", form == null || form.condition().isBlank() ? "" : form.condition());
        if (!model.containsAttribute("hours")) {
            model.addAttribute("hours", HoursForm.of(d));
        }
        model.addAttribute("weekdays", WEEKDAYS);
        model.addAttribute("zones", ZONES);
        Map<String, List<String>> fieldErrors = new HashMap<>();
        errors.forEach(e ->
                fieldErrors.computeIfAbsent(e.field(), k -> new ArrayList<>()).add(e.message()));
        model.addAttribute("fieldErrors", fieldErrors);
        return "programs/page";
    }

    @PostMapping("/programs/{id}/steps")
    String saveStep(@PathVariable long id, StepForm form, Model model) {
        ProgramDefinition d = programs.current(id);
        try {
            boolean insert = "insert".equals(form.mode());
            int at = insert ? d.steps().size() : Math.max(0, d.steps().indexOf(d.step(form.stepId())));
            Step step = programs.step(stepJson(form), "steps[" + at + "]");
            ProgramDefinition edited;
            if (insert) {
                String after = form.after() == null || form.after().isBlank() ? null : form.after();
                edited = d.insert(after, form.branch(), step);
            } else {
                edited = d.edit(step);
            }
            programs.revise(id, edited);
            return "redirect:/programs/" + id;
        } catch (InvalidInputException e) {
            return page(id, form, e.errors(), null, model);
        }
    }

    @PostMapping("/programs/{id}/steps/{step}/delete")
    String deleteStep(@PathVariable long id, @PathVariable String step, Model model) {
        ProgramDefinition d = programs.current(id);
        if (d.step(step) == null) {
            return "redirect:/programs/" + id;
        }
        try {
            programs.revise(id, d.remove(step));
            return "redirect:/programs/" + id;
        } catch (InvalidInputException e) {
            return page(id, null, e.errors(), null, model);
        }
    }

    @PostMapping("/programs/{id}/settings")
    String settings(
            @PathVariable long id,
            @RequestParam(required = false) List<Long> recipients,
            @RequestParam(required = false) List<Long> suppressions,
            @RequestParam(defaultValue = "NEVER") String reEntry,
            @RequestParam(required = false) List<String> hoursDays,
            @RequestParam Map<String, String> params,
            Model model) {
        ProgramDefinition d = programs.current(id);
        // filling a ready-made program's email slots: each placeholder's choice is named email.<slot>
        Map<String, String> emails = new HashMap<>();
        for (String slot : d.emailPlaceholders()) {
            String chosen = params.get("email." + slot);
            if (chosen != null && !chosen.isBlank()) {
                emails.put(slot, chosen);
            }
        }
        ObjectNode body = ProgramJson.write(d.withEmails(emails));
        HoursForm hours = new HoursForm(
                params.containsKey("hours"),
                hoursDays == null ? Set.of() : new HashSet<>(hoursDays),
                params.getOrDefault("hoursOpens", "").strip(),
                params.getOrDefault("hoursCloses", "").strip(),
                params.getOrDefault("hoursZone", "").strip());
        try {
            if (hours.enabled()) {
                body.set("businessHours", hoursJson(hours));
            } else {
                body.remove("businessHours");
            }
        } catch (InvalidInputException e) {
            model.addAttribute("hours", hours);
            return page(id, null, e.errors(), null, model);
        }
        ArrayNode r = body.putArray("recipientListIds");
        (recipients == null ? List.<Long>of() : recipients).forEach(r::add);
        ArrayNode s = body.putArray("suppressionListIds");
        (suppressions == null ? List.<Long>of() : suppressions).forEach(s::add);
        body.put("reEntry", reEntry);
        try {
            programs.revise(id, body);
            return "redirect:/programs/" + id;
        } catch (InvalidInputException e) {
            model.addAttribute("hours", hours);
            return page(id, null, e.errors(), null, model);
        }
    }

    /**
     * Business hours as the API's JSON, checked field by field first so that each problem is shown next to its
     * field: at least one day, times as HH:mm, the closing after the opening (a window within one day), a zone the
     * time-zone database knows.
     */
    private ObjectNode hoursJson(HoursForm h) {
        List<FieldError> errors = new ArrayList<>();
        ObjectNode node = json.createObjectNode();
        ArrayNode days = node.putArray("days");
        WEEKDAYS.stream().filter(h.days()::contains).forEach(days::add);
        if (days.isEmpty()) {
            errors.add(new FieldError("businessHours.days", "choose at least one day"));
        }
        LocalTime opens = time(h.opens(), "businessHours.opens", errors);
        LocalTime closes = time(h.closes(), "businessHours.closes", errors);
        if (opens != null && closes != null && !closes.isAfter(opens)) {
            errors.add(
                    new FieldError("businessHours.closes", "must be after the opening time (a window within one day)"));
        }
        ZoneId zone = zone(h.zone(), "businessHours.zone", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        node.put("opens", opens.toString());
        node.put("closes", closes.toString());
        node.put("zone", zone.getId());
        return node;
    }

    private static LocalTime time(String value, String field, List<FieldError> errors) {
        try {
            return LocalTime.parse(value == null ? "" : value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a time of day as HH:mm, e.g. 09:00"));
            return null;
        }
    }

    private static ZoneId zone(String value, String field, List<FieldError> errors) {
        String id = value == null ? "" : value.strip();
        // region ids only (Europe/Berlin) and UTC: offsets and abbreviations do not follow daylight saving
        if (!ZONES.contains(id)) {
            errors.add(new FieldError(
                    field,
                    "is not a known time zone: write a region such as Europe/Berlin, " + "America/New_York or UTC"));
            return null;
        }
        return ZoneId.of(id);
    }

    /** The zone a date in the builder is read in: the program's business hours', else UTC. */
    private static ZoneId zoneOf(ProgramDefinition d) {
        return d.businessHours() == null ? ZoneOffset.UTC : d.businessHours().zone();
    }

    /** Time zones offered and accepted by the builder: the region ids of the time-zone database, and UTC. */
    static final List<String> ZONES = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("UTC"),
                    ZoneId.getAvailableZoneIds().stream()
                            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/"))
                            .sorted())
            .toList();

    @PostMapping("/programs/{id}/{command:start|pause|resume}")
    String command(@PathVariable long id, @PathVariable String command, Model model) {
        try {
            switch (command) {
                case "start" -> enrollments.start(id);
                case "pause" -> enrollments.pause(id);
                default -> enrollments.resume(id);
            }
            sweeper.wake();
            return "redirect:/programs/" + id;
        } catch (InvalidInputException e) {
            return page(id, null, e.errors(), null, model);
        } catch (ConflictException e) {
            return page(id, null, List.of(new FieldError("program", e.getMessage())), null, model);
        }
    }

    /**
     * Whether the signed-in user sees the builder's forms: ADMIN and MARKETING, who alone may post them (the UI write
     * rules of the security configuration); other roles read the programs.
     */
    private static boolean mayEdit() {
        return Role.any(SecurityContextHolder.getContext().getAuthentication(), Role.ADMIN, Role.MARKETING);
    }

    /** The enrollments of a prospect, for its page (loaded by htmx). */
    @GetMapping("/programs/of-prospect/{prospectId}")
    String ofProspect(@PathVariable long prospectId, Model model) {
        prospects.get(prospectId);
        model.addAttribute("enrollments", enrollments.ofProspect(prospectId));
        return "programs/of-prospect :: enrollments";
    }

    private List<Map<String, Object>> lists() {
        return jdbc.sql("SELECT id, name, kind FROM list ORDER BY name")
                .query((rs, n) -> Map.<String, Object>of(
                        "id", rs.getLong("id"), "name", rs.getString("name"), "kind", rs.getString("kind")))
                .list();
    }

    private ObjectNode stepJson(StepForm f) {
        ObjectNode s = json.createObjectNode();
        s.put("id", f.stepId() == null ? "" : f.stepId().strip());
        String type = f.type() == null ? "" : f.type();
        s.put("type", type);
        String value = f.actionValue() == null ? "" : f.actionValue().strip();
        String field = f.actionField() == null ? "" : f.actionField().strip();
        switch (type) {
            case "ACTION" -> {
                ObjectNode a = s.putObject("action");
                String kind = f.actionType() == null ? "" : f.actionType();
                a.put("type", kind);
                switch (kind) {
                    case "sendEmail" -> a.put("templateId", value);
                    case "adjustScore" -> number(a, "points", value, "action value (points)");
                    case "addToList", "removeFromList" -> number(a, "listId", value, "action value (list id)");
                    case "setField" -> {
                        a.put("field", field);
                        a.put("value", value);
                    }
                    case "changeStage" -> a.put("stage", value.toUpperCase(java.util.Locale.ROOT));
                    case "notifyUser" -> {
                        if (!field.isEmpty() && !field.equalsIgnoreCase("owner")) {
                            number(a, "userId", field, "action field (user id or owner)");
                        }
                        a.put("message", value);
                    }
                    case "assign" -> {
                        // field: USER, TEAM or (empty) TERRITORY_RULES; value: the user's or team's id
                        switch (field.toUpperCase(java.util.Locale.ROOT)) {
                            case "USER" -> number(a, "userId", value, "action value (user id)");
                            case "TEAM" -> number(a, "teamId", value, "action value (team id)");
                            case "", "TERRITORY_RULES" -> a.put("territoryRules", true);
                            default ->
                                throw InvalidInputException.of(
                                        "action field (assign)", "must be USER, TEAM or TERRITORY_RULES");
                        }
                    }
                    case "callWebhook" -> a.put("url", value);
                    case "removeFromProgram" -> number(a, "programId", value, "action value (program id)");
                    case "createTask" -> {
                        // field: the owner (a user id, or empty / "owner" for the prospect's owner); value: subject
                        if (!field.isEmpty() && !field.equalsIgnoreCase("owner")) {
                            number(a, "userId", field, "action field (user id or owner)");
                        }
                        a.put("subject", value);
                    }
                    default -> {}
                }
            }
            case "TRIGGER" -> {
                ObjectNode e = s.putObject("event");
                String kind = f.eventType() == null ? "" : f.eventType();
                e.put("type", kind);
                String filter = f.eventFilter() == null || f.eventFilter().isBlank()
                        ? null
                        : f.eventFilter().strip();
                switch (kind) {
                    case "emailOpened" -> e.put("templateId", filter);
                    case "emailClicked" -> e.put("link", filter);
                    case "formSubmitted" -> e.put("form", filter);
                    case "pageViewed" -> e.put("urlPattern", filter);
                    case "webinarAttended" -> e.put("webinar", filter);
                    default -> {}
                }
                s.put("timing", f.timing() == null ? "UP_TO" : f.timing());
                number(s, "days", f.days(), "days");
            }
            case "RULE" -> {
                if (f.condition() == null || f.condition().isBlank()) {
                    throw InvalidInputException.of("condition", "is required");
                }
                s.set("condition", json.readTree(f.condition()));
            }
            case "WAIT" -> {
                if ("UNTIL".equals(f.waitMode())) {
                    s.put("until", until(f).toString());
                } else {
                    number(s, "days", f.days(), "days");
                }
            }
            default -> {}
        }
        if ("edit".equals(f.mode())) {
            // the branches chosen in the edit form; the others keep their targets (ProgramDefinition.edit)
            branch(s, "next", f.next());
            branch(s, "yes", f.yes());
            branch(s, "no", f.no());
        }
        return s;
    }

    private static void branch(ObjectNode step, String label, String target) {
        if (target != null && !target.isBlank()) {
            step.put(label, target);
        }
    }

    /** A wait's date: a day, a time and a zone, which must be a moment still to come (by the injected clock). */
    private Instant until(StepForm f) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate date = null;
        try {
            date = InputDates.date(f.untilDate() == null ? "" : f.untilDate().strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("untilDate", "must be a date as YYYY-MM-DD"));
        }
        LocalTime time =
                time(f.untilTime() == null || f.untilTime().isBlank() ? "00:00" : f.untilTime(), "untilTime", errors);
        ZoneId zone = zone(f.untilZone(), "untilZone", errors);
        if (errors.isEmpty()) {
            Instant at = ZonedDateTime.of(date, time, zone).toInstant();
            if (!at.isAfter(clock.instant())) {
                errors.add(new FieldError("untilDate", "must be in the future: the wait would end at once"));
            } else {
                return at;
            }
        }
        throw new InvalidInputException(errors);
    }

    private static void number(ObjectNode node, String field, String value, String what) {
        try {
            node.put(field, Long.parseLong(value == null ? "" : value.strip()));
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(what, "must be a whole number");
        }
    }

    private StepForm formOf(Step step, ZoneId zone) {
        String waitMode = "DAYS";
        String untilDate = "";
        String untilTime = "09:00";
        String type = ProgramReports.type(step);
        String actionType = "";
        String field = "";
        String value = "";
        String eventType = "";
        String filter = "";
        String timing = "UP_TO";
        String days = "";
        String condition = "";
        String next = "";
        String yes = "";
        String no = "";
        switch (step) {
            case Step.ActionStep a -> {
                actionType = a.action().type();
                next = a.next();
                switch (a.action()) {
                    case Action.SendEmail s -> value = s.templateId();
                    case Action.AdjustScore s -> value = String.valueOf(s.points());
                    case Action.AddToList l -> value = String.valueOf(l.listId());
                    case Action.RemoveFromList l -> value = String.valueOf(l.listId());
                    case Action.SetField sf -> {
                        field = sf.field();
                        value = sf.value() == null ? "" : String.valueOf(sf.value());
                    }
                    case Action.ChangeStage c -> value = c.stage().name();
                    case Action.NotifyUser n -> {
                        field = n.userId() == null ? "owner" : String.valueOf(n.userId());
                        value = n.message();
                    }
                    case Action.Assign as -> {
                        field = as.to().name();
                        value = as.id() == null ? "" : String.valueOf(as.id());
                    }
                    case Action.CallWebhook w -> value = w.url();
                    case Action.SetScore sc -> value = String.valueOf(sc.score());
                    case Action.SetDoNotEmail d -> value = String.valueOf(d.value());
                    case Action.AddToProgram ap -> value = String.valueOf(ap.programId());
                    case Action.RemoveFromProgram r -> value = String.valueOf(r.programId());
                    case Action.CreateTask t -> {
                        field = t.userId() == null ? "owner" : String.valueOf(t.userId());
                        value = t.subject();
                    }
                    case Action.SyncToCrm c -> {}
                }
            }
            case Step.TriggerStep t -> {
                eventType = t.event().type();
                filter = switch (t.event()) {
                    case TriggerEvent.EmailOpened o -> o.templateId();
                    case TriggerEvent.EmailClicked c -> c.link();
                    case TriggerEvent.FormSubmitted fs -> fs.form();
                    case TriggerEvent.PageViewed p -> p.urlPattern();
                    case TriggerEvent.WebinarAttended w -> w.webinar();
                };
                timing = t.timing().name();
                days = String.valueOf(t.days());
                yes = t.yes();
                no = t.no();
            }
            case Step.RuleStep r -> {
                condition = json.writeValueAsString(dev.kindling.conditions.ConditionJson.write(r.condition()));
                yes = r.yes();
                no = r.no();
            }
            case Step.WaitStep w -> {
                days = w.days() == null ? "" : String.valueOf(w.days());
                next = w.next();
                if (w.until() != null) {
                    ZonedDateTime at = w.until().atZone(zone);
                    waitMode = "UNTIL";
                    untilDate = at.toLocalDate().toString();
                    untilTime = at.toLocalTime().withSecond(0).withNano(0).toString();
                }
            }
            case Step.EndStep e -> {}
        }
        return new StepForm(
                "edit",
                "",
                "",
                step.id(),
                type,
                actionType,
                field,
                value == null ? "" : value,
                eventType,
                filter == null ? "" : filter,
                timing,
                days,
                condition,
                next,
                yes,
                no,
                waitMode,
                untilDate,
                untilTime,
                zone.getId());
    }

    /** The steps in a pre-order walk from the first; a step met again is a "go to" line (loops, merges). */
    static List<Row> tree(ProgramDefinition d, ProgramReports.Report report, ConditionDescriber conditions) {
        List<Row> rows = new ArrayList<>();
        walk(d, d.start(), "start", 0, new HashSet<>(), rows, report, conditions);
        Set<String> shown = new HashSet<>();
        rows.forEach(r -> shown.add(r.stepId()));
        for (Step s : d.steps()) {
            if (!shown.contains(s.id())) {
                rows.add(new Row(
                        0,
                        "unreached",
                        s.id(),
                        ProgramReports.type(s),
                        summary(s, zoneOf(d), conditions),
                        false,
                        report.step(s.id())));
            }
        }
        return rows;
    }

    private static void walk(
            ProgramDefinition d,
            String id,
            String branch,
            int depth,
            Set<String> seen,
            List<Row> rows,
            ProgramReports.Report report,
            ConditionDescriber conditions) {
        Step step = d.step(id);
        if (step == null) {
            rows.add(new Row(depth, branch, String.valueOf(id), "MISSING", "leads nowhere", true, null));
            return;
        }
        if (!seen.add(id)) {
            rows.add(new Row(depth, branch, id, ProgramReports.type(step), "go to " + id, true, null));
            return;
        }
        rows.add(new Row(
                depth,
                branch,
                id,
                ProgramReports.type(step),
                summary(step, zoneOf(d), conditions),
                false,
                report.step(id)));
        List<Step.Branch> branches = step.branches();
        for (Step.Branch b : branches) {
            // a single "next" continues at the same depth: a straight path reads top to bottom
            int childDepth = branches.size() == 1 ? depth : depth + 1;
            walk(d, b.target(), b.label(), childDepth, seen, rows, report, conditions);
        }
    }

    private static String untilText(Instant until, ZoneId zone) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(until.atZone(zone)) + " "
                + zone.getId();
    }

    static String summary(Step step, ZoneId zone, ConditionDescriber conditions) {
        return switch (step) {
            case Step.ActionStep a ->
                switch (a.action()) {
                    case Action.SendEmail s ->
                        s.isPlaceholder()
                                ? "Send email: " + s.slot() + " (to choose)"
                                : "Send email template " + s.templateId();
                    case Action.AdjustScore s -> "Adjust score by " + (s.points() > 0 ? "+" : "") + s.points();
                    case Action.AddToList l -> "Add to list " + l.listId();
                    case Action.RemoveFromList l -> "Remove from list " + l.listId();
                    case Action.SetField f -> "Set " + f.field() + " to " + f.value();
                    case Action.ChangeStage c -> "Change stage to " + c.stage();
                    case Action.Assign as -> "Assign (" + as.to() + (as.id() == null ? "" : " " + as.id()) + ")";
                    case Action.NotifyUser n ->
                        "Notify " + (n.userId() == null ? "the owner" : "user " + n.userId()) + ": " + n.message();
                    case Action.SetScore sc -> "Set score to " + sc.score();
                    case Action.SetDoNotEmail d -> "Set do-not-email to " + d.value();
                    case Action.AddToProgram ap -> "Add to program " + ap.programId();
                    case Action.CallWebhook w -> "Call webhook " + w.url();
                    case Action.RemoveFromProgram r -> "Remove from program " + r.programId();
                    case Action.CreateTask t ->
                        "Sales task for " + (t.userId() == null ? "the owner" : "user " + t.userId()) + ", due in "
                                + t.dueInHours() + " h: " + t.subject();
                    case Action.SyncToCrm c -> "Sync to Salesforce";
                };
            case Step.TriggerStep t ->
                (t.timing() == Step.Timing.UP_TO ? "Within up to " : "After ") + t.days() + " days: " + event(t.event())
                        + "?";
            case Step.RuleStep r -> "Rule: " + conditions.describe(r.condition());
            case Step.WaitStep w ->
                w.until() != null ? "Wait until " + untilText(w.until(), zone) : "Wait " + w.days() + " days";
            case Step.EndStep e -> "End";
        };
    }

    private static String event(TriggerEvent e) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("emailOpened", "email opened");
        names.put("emailClicked", "email clicked");
        names.put("formSubmitted", "form submitted");
        names.put("pageViewed", "page viewed");
        names.put("webinarAttended", "webinar attended");
        String filter = switch (e) {
            case TriggerEvent.EmailOpened o -> o.templateId();
            case TriggerEvent.EmailClicked c -> c.link();
            case TriggerEvent.FormSubmitted f -> f.form();
            case TriggerEvent.PageViewed p -> p.urlPattern();
            case TriggerEvent.WebinarAttended w -> w.webinar();
        };
        return names.get(e.type()) + (filter == null ? "" : " (" + filter + ")");
    }
}
