package dev.kindling.people;

import dev.kindling.platform.security.Accounts;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Every user's own settings at {@code /settings/me}, reached from the user menu: the UI's language (English or
 * Japanese) and the time zone times are shown in (exports stay UTC). Stored with the user through the accounts'
 * owner ({@link Accounts}); the next page is in the new language.
 */
@Controller
class MySettingsPages {

    static final Map<String, String> LANGUAGES = Map.of("en", "English", "ja", "日本語");
    private static final Set<String> ZONES = new TreeSet<>(ZoneId.getAvailableZoneIds());

    private final Accounts accounts;

    MySettingsPages(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/settings/me")
    String page(Authentication who, Model model) {
        Accounts.Account me = accounts.signedIn(who);
        return render(model, me.language(), me.timeZone(), List.of());
    }

    @PostMapping("/settings/me")
    String save(
            Authentication who,
            @RequestParam(defaultValue = "") String language,
            @RequestParam(defaultValue = "") String timeZone,
            Model model,
            HttpServletResponse response) {
        Accounts.Account me = accounts.signedIn(who);
        List<FieldError> errors = new ArrayList<>();
        languageError(language).ifPresent(errors::add);
        timeZoneError(timeZone).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            response.setStatus(400);
            return render(model, language, timeZone, errors);
        }
        accounts.update(me.id(), Map.of("language", language, "timeZone", timeZone));
        return "redirect:/settings/me?saved";
    }

    /** Why {@code language} is not a language of the UI ({@code en}, {@code ja}), if it is not one. */
    static Optional<FieldError> languageError(Object language) {
        return language instanceof String l && LANGUAGES.containsKey(l)
                ? Optional.empty()
                : Optional.of(new FieldError(
                        "language", "must be one of " + String.join(", ", new TreeSet<>(LANGUAGES.keySet()))));
    }

    /** Why {@code timeZone} is not an IANA time zone id ({@code Asia/Tokyo}, {@code UTC}), if it is not one. */
    static Optional<FieldError> timeZoneError(Object timeZone) {
        return timeZone instanceof String z && ZONES.contains(z)
                ? Optional.empty()
                : Optional.of(new FieldError("timeZone", "must be a time zone such as Asia/Tokyo or UTC"));
    }

    private String render(Model model, String language, String timeZone, List<FieldError> errors) {
        model.addAttribute("languages", new TreeSet<>(LANGUAGES.keySet()));
        model.addAttribute("languageNames", LANGUAGES);
        model.addAttribute("zones", ZONES);
        model.addAttribute("language", language);
        model.addAttribute("timeZone", timeZone);
        model.addAttribute("errors", FieldMessages.of(errors));
        return "settings/me";
    }
}
