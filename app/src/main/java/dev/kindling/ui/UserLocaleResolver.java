package dev.kindling.ui;

import dev.kindling.platform.security.Accounts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.TimeZoneAwareLocaleContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.LocaleContextResolver;

/**
 * The signed-in user's language and time zone, as stored with the user ({@code app_user.language},
 * {@code time_zone}; set on {@code /settings/me}); before sign-in the browser's preferred language among those the UI
 * speaks, and UTC. Read lazily, so a request that shows no words or times (the API) costs no query.
 */
class UserLocaleResolver implements LocaleContextResolver {

    static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.JAPANESE);

    private final Accounts accounts;

    UserLocaleResolver(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public LocaleContext resolveLocaleContext(HttpServletRequest request) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return new TimeZoneAwareLocaleContext() {

            private Optional<Accounts.Account> account;

            private Optional<Accounts.Account> account() {
                if (account == null) {
                    account = who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated()
                            ? Optional.empty()
                            : accounts.find(who.getName());
                }
                return account;
            }

            @Override
            public Locale getLocale() {
                return account().map(a -> Locale.forLanguageTag(a.language())).orElseGet(() -> browser(request));
            }

            @Override
            public TimeZone getTimeZone() {
                return TimeZone.getTimeZone(
                        account().map(Accounts.Account::timeZone).orElse("UTC"));
            }
        };
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        return resolveLocaleContext(request).getLocale();
    }

    private static Locale browser(HttpServletRequest request) {
        if (request.getHeader("Accept-Language") == null) {
            return Locale.ENGLISH;
        }
        Locale best =
                Locale.lookup(Locale.LanguageRange.parse(sanitised(request.getHeader("Accept-Language"))), SUPPORTED);
        return best == null ? Locale.ENGLISH : best;
    }

    /** A header that does not parse counts as no preference. */
    private static String sanitised(String header) {
        try {
            Locale.LanguageRange.parse(header);
            return header;
        } catch (IllegalArgumentException e) {
            return "en";
        }
    }

    @Override
    public void setLocaleContext(
            HttpServletRequest request, HttpServletResponse response, LocaleContext localeContext) {
        throw new UnsupportedOperationException("A user's language is changed on /settings/me");
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        throw new UnsupportedOperationException("A user's language is changed on /settings/me");
    }
}
