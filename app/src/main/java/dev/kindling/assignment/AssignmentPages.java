package dev.kindling.assignment;

import dev.kindling.people.TeamView;
import dev.kindling.people.Teams;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The assignment page at {@code /assignment}: the setting of each stage entry and the territories in matching order.
 * Everyone signed in reads it; only ADMIN changes it. Also the owner form of the prospect page
 * ({@code POST /prospects/{id}/owner}). Forms are validated like the API; a refused change re-renders with 400/409.
 */
@Controller
class AssignmentPages {

    private final AssignmentSettings settings;
    private final Territories territories;
    private final Teams teams;
    private final Owners owners;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    AssignmentPages(
            AssignmentSettings settings,
            Territories territories,
            Teams teams,
            Owners owners,
            JdbcClient jdbc,
            TransactionTemplate transactions) {
        this.settings = settings;
        this.territories = territories;
        this.teams = teams;
        this.owners = owners;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @GetMapping("/assignment")
    String page(Model model, Authentication user) {
        return render(model, user, List.of());
    }

    @PostMapping("/assignment/settings")
    String saveSettings(
            @RequestParam MultiValueMap<String, String> params,
            Authentication user,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (var stage : AssignmentSettings.STAGES) {
            Map<String, Object> one = new HashMap<>();
            one.put("mode", params.getFirst(stage.name() + ".mode"));
            one.put("teamId", id(params.getFirst(stage.name() + ".teamId")));
            raw.put(stage.name(), one);
        }
        return attempt(
                model,
                user,
                response,
                () -> transactions.executeWithoutResult(
                        tx -> settings.save(AssignmentSettingsController.validate(raw, jdbc))));
    }

    @PostMapping("/assignment/territories")
    String createTerritory(
            @RequestParam MultiValueMap<String, String> params,
            Authentication user,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("name", params.getFirst("name"));
        raw.put("position", id(params.getFirst("position")));
        raw.put("countries", list(params.getFirst("countries")));
        raw.put("industries", list(params.getFirst("industries")));
        raw.put("minEmployees", id(params.getFirst("minEmployees")));
        raw.put("maxEmployees", id(params.getFirst("maxEmployees")));
        String target = params.getFirst("target") == null ? "" : params.getFirst("target");
        if (target.startsWith("team:")) {
            raw.put("teamId", id(target.substring(5)));
        } else if (target.startsWith("user:")) {
            raw.put("userId", id(target.substring(5)));
        }
        return attempt(model, user, response, () -> territories.create(raw));
    }

    @PostMapping("/assignment/territories/{id}/delete")
    String deleteTerritory(@PathVariable long id, Authentication user, Model model, HttpServletResponse response) {
        return attempt(model, user, response, () -> territories.delete(id));
    }

    @PostMapping("/prospects/{id}/owner")
    String assignOwner(
            @PathVariable long id,
            @RequestParam(required = false) String userId,
            Authentication user,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("userId", id(userId));
        try {
            owners.force(id, raw, user);
            return "redirect:/prospects/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("errors", e.errors());
            model.addAttribute("prospectId", id);
            return "assignment/owner-refused";
        }
    }

    private String attempt(Model model, Authentication user, HttpServletResponse response, Runnable change) {
        try {
            change.run();
            return "redirect:/assignment";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(model, user, e.errors());
        } catch (ConflictException e) {
            response.setStatus(409);
            return render(model, user, List.of(new FieldError("conflict", e.getMessage())));
        }
    }

    private String render(Model model, Authentication user, List<FieldError> errors) {
        List<TeamView> allTeams = teams.list();
        Map<Long, String> teamNames = new HashMap<>();
        allTeams.forEach(t -> teamNames.put(t.id(), t.name()));
        List<Map<String, Object>> people = owners.candidates();
        Map<Long, String> userNames = new HashMap<>();
        people.forEach(p -> userNames.put((Long) p.get("id"), (String) p.get("name")));
        jdbc.sql("SELECT id, name FROM app_user").query(rs -> {
            userNames.putIfAbsent(rs.getLong(1), rs.getString(2));
        });
        model.addAttribute("settings", settings.all().values());
        model.addAttribute("modes", Arrays.asList(AssignmentSettings.Mode.values()));
        model.addAttribute("teams", allTeams);
        model.addAttribute("teamNames", teamNames);
        model.addAttribute("people", people);
        model.addAttribute("userNames", userNames);
        model.addAttribute("territories", territories.list());
        model.addAttribute("admin", Role.any(user, Role.ADMIN));
        model.addAttribute("errors", errors);
        return "assignment/index";
    }

    private static List<String> list(String text) {
        return text == null
                ? List.of()
                : Arrays.stream(text.split("[,\\n]"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    private static Object id(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
