package dev.kindling.people;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.security.SecuritySettings;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The users and teams page at {@code /settings/users} (ADMIN only, security configuration): users with their role,
 * team and status, teams with their manager and members; plain HTML forms with CSRF tokens, validated like the API
 * (a refused change re-renders the page with status 400 or 409 and the reasons).
 */
@Controller
class UserPages {

    private final AuditLog audit;

    private final UserController users;
    private final Teams teams;
    private final SecuritySettings security;

    UserPages(UserController users, Teams teams, SecuritySettings security, AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.teams = teams;
        this.security = security;
    }

    @GetMapping("/settings/users")
    String page(Model model) {
        return render(model, List.of());
    }

    @PostMapping("/settings/users")
    String createUser(@RequestParam MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("email", text(params.getFirst("email")));
        raw.put("name", text(params.getFirst("name")));
        raw.put("role", text(params.getFirst("role")));
        String password = text(params.getFirst("password"));
        if (password != null) {
            raw.put("password", password);
        }
        raw.put("teamId", id(params.getFirst("teamId")));
        return attempt(model, response, () -> users.create(raw));
    }

    @PostMapping("/settings/users/{id}")
    String updateUser(
            @PathVariable long id,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("role", text(params.getFirst("role")));
        raw.put("teamId", id(params.getFirst("teamId")));
        raw.put("active", params.containsKey("active"));
        return attempt(model, response, () -> users.update(id, raw));
    }

    /** The API documentation's switch: public, or for signed-in users and API keys only. */
    @PostMapping("/settings/api-docs")
    String apiDocs(@RequestParam(name = "public", required = false) String open) {
        audit.record(AuditEntry.updated(
                "api_docs_setting", null, Map.of("public", security.apiDocsPublic()), Map.of("public", open != null)));
        security.apiDocsPublic(open != null);
        return "redirect:/settings/users";
    }

    @PostMapping("/settings/users/teams")
    String createTeam(@RequestParam MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("name", text(params.getFirst("name")));
        raw.put("managerId", id(params.getFirst("managerId")));
        return attempt(model, response, () -> teams.create(raw));
    }

    @PostMapping("/settings/users/teams/{id}")
    String updateTeam(
            @PathVariable long id,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("managerId", id(params.getFirst("managerId")));
        return attempt(model, response, () -> teams.update(id, raw));
    }

    @PostMapping("/settings/users/teams/{id}/delete")
    String deleteTeam(@PathVariable long id, Model model, HttpServletResponse response) {
        return attempt(model, response, () -> {
            teams.delete(id);
            return null;
        });
    }

    private String attempt(Model model, HttpServletResponse response, Supplier<Object> change) {
        try {
            change.get();
            return "redirect:/settings/users";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(model, e.errors());
        } catch (ConflictException e) {
            response.setStatus(409);
            return render(model, List.of(new FieldError("conflict", e.getMessage())));
        }
    }

    private String render(Model model, List<FieldError> errors) {
        List<UserView> all = users.list();
        model.addAttribute("users", all);
        model.addAttribute("teams", teams.list());
        model.addAttribute(
                "managers",
                all.stream()
                        .filter(u -> u.active() && Teams.MANAGER_ROLES.contains(u.role()))
                        .toList());
        Map<Long, String> names = new HashMap<>();
        // shown as "Name <email>" (the email alone when there is no name), looked up with names.get(id):
        // SpEL's names[m] would read the key "m"
        all.forEach(u -> names.put(
                u.id(), u.name() == null || u.name().isBlank() ? u.email() : u.name() + " <" + u.email() + ">"));
        model.addAttribute("names", names);
        model.addAttribute("roles", List.of("ADMIN", "MARKETING", "INSIDE_SALES", "SALES", "VIEWER"));
        model.addAttribute("errors", errors);
        model.addAttribute("apiDocsPublic", security.apiDocsPublic());
        return "people/users";
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A form's id field: empty is null, digits a number, anything else passed on for the validation to refuse. */
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
