package dev.kindling.ui;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Settings → Public URL ({@code /settings/public-url}, ADMIN): the address prospects reach Kindling at, saved by an
 * admin when {@code KINDLING_PUBLIC_URL} is not set. The page offers the admin's own browser address, pre-filled;
 * nothing is taken from a request without an admin saving it. The API is {@link PublicUrlController}.
 */
@Controller
class PublicUrlPages {

    private final AuditLog audit;

    private final PublicUrl publicUrl;

    PublicUrlPages(PublicUrl publicUrl, AuditLog audit) {
        this.audit = audit;
        this.publicUrl = publicUrl;
    }

    @GetMapping("/settings/public-url")
    String page(Authentication who, HttpServletRequest request, Model model) {
        adminOnly(who);
        return page(model, publicUrl.base().orElse(PublicUrl.suggestedFrom(request)), List.of(), false);
    }

    @PostMapping("/settings/public-url")
    String save(
            @RequestParam(defaultValue = "") String url,
            Authentication who,
            Model model,
            HttpServletResponse response) {
        adminOnly(who);
        try {
            String before = publicUrl.base().orElse(null);
            String saved = publicUrl.set(url);
            audit.record(AuditEntry.updated("public_url", null, before, saved));
            return page(model, saved, List.of(), true);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, url, e.errors(), false);
        }
    }

    private String page(Model model, String url, List<?> errors, boolean saved) {
        model.addAttribute("url", url);
        model.addAttribute("source", publicUrl.source().name());
        model.addAttribute("errors", errors);
        model.addAttribute("saved", saved);
        return "public-url";
    }

    static void adminOnly(Authentication who) {
        if (!Role.any(who, Role.ADMIN)) {
            throw new AccessDeniedException("Only admins set the public URL");
        }
    }
}
