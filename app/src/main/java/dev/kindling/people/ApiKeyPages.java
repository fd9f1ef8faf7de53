package dev.kindling.people;

import dev.kindling.platform.security.Accounts;
import dev.kindling.platform.security.ApiKeys;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The API keys page at {@code /settings/api-keys}, for every signed-in user: their own keys (an ADMIN sees everyone's)
 * with role, creation and last use; a new key for themselves with a role no higher than their role of this moment,
 * shown once; revoking a key of their own (an ADMIN: any key), which stops it at once. Issued and revoked through the
 * same code as the API ({@link ApiKeyController}).
 */
@Controller
class ApiKeyPages {

    private final ApiKeyController keys;
    private final ApiKeys apiKeys;
    private final Accounts accounts;

    ApiKeyPages(ApiKeyController keys, ApiKeys apiKeys, Accounts accounts) {
        this.keys = keys;
        this.apiKeys = apiKeys;
        this.accounts = accounts;
    }

    @GetMapping("/settings/api-keys")
    String page(Authentication who, Model model) {
        return render(accounts.signedIn(who), model, null, "", List.of());
    }

    @PostMapping("/settings/api-keys")
    String issue(
            Authentication who,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String role,
            Model model,
            HttpServletResponse response) {
        Accounts.Account me = accounts.signedIn(who);
        try {
            ApiKeyController.IssuedKey issued = keys.issue(me.id(), name, role.isBlank() ? null : role);
            return render(me, model, issued, "", List.of());
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(me, model, null, name, e.errors());
        }
    }

    @PostMapping("/settings/api-keys/{id}/revoke")
    String revoke(Authentication who, @PathVariable long id) {
        Accounts.Account me = accounts.signedIn(who);
        ApiKeys.Key key = apiKeys.get(id).orElseThrow(() -> new NotFoundException("No API key " + id));
        if (key.userId() != me.id() && me.role() != Role.ADMIN) {
            throw new AccessDeniedException("Only its holder or an admin may revoke a key");
        }
        keys.revoke(key);
        return "redirect:/settings/api-keys";
    }

    private String render(
            Accounts.Account me, Model model, ApiKeyController.IssuedKey issued, String name, List<FieldError> errors) {
        boolean admin = me.role() == Role.ADMIN;
        model.addAttribute("keys", apiKeys.list(admin ? null : me.id()));
        model.addAttribute("allUsers", admin);
        model.addAttribute("me", me);
        model.addAttribute(
                "roles",
                Arrays.stream(Role.values()).filter(r -> r.isAtMost(me.role())).toList());
        model.addAttribute("issued", issued);
        model.addAttribute("name", name);
        model.addAttribute("errors", FieldMessages.of(errors));
        return "settings/api-keys";
    }
}
