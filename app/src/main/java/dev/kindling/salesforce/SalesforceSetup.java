package dev.kindling.salesforce;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.salesforce.SalesforceSettings.Auth;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import dev.kindling.salesforce.SalesforceSettings.Source;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The connection as the settings page and the API set it: every field checked first (400 with all field errors,
 * nothing stored), the secret kept when none is given and the sign-in flow is unchanged. A connection from the
 * environment takes precedence and is not changed here (409).
 */
@Component
class SalesforceSetup {

    /** The connection as shown (never the secret). */
    record ConnectionView(
            String source,
            String loginUrl,
            String apiVersion,
            String auth,
            String clientId,
            String username,
            boolean secretSet,
            int budgetPercent,
            int cycleSeconds,
            boolean paused) {

        static ConnectionView of(Connection c) {
            return new ConnectionView(
                    c.source().name(),
                    c.loginUrl(),
                    c.apiVersion(),
                    c.auth().name(),
                    c.clientId(),
                    c.username(),
                    c.secret() != null && !c.secret().isBlank(),
                    c.budgetPercent(),
                    c.cycleSeconds(),
                    c.paused());
        }
    }

    private final SalesforceSettings settings;
    private final Clock clock;

    SalesforceSetup(SalesforceSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    Optional<ConnectionView> view() {
        return settings.current().map(ConnectionView::of);
    }

    /** Checks and stores the connection ({@code raw}: the fields given, by their API names). */
    ConnectionView save(Map<String, Object> raw) {
        Optional<Connection> current = settings.current();
        if (current.isPresent() && current.get().source() == Source.ENVIRONMENT) {
            throw new ConflictException("The connection comes from the environment (KINDLING_SALESFORCE_*), which takes"
                    + " precedence: change it there");
        }
        Connection c = validated(raw, current.orElse(null));
        settings.save(c, clock.instant());
        return ConnectionView.of(settings.current().orElseThrow());
    }

    void pause(boolean paused) {
        if (settings.current().isEmpty()) {
            throw new ConflictException("The Salesforce connector is not configured");
        }
        settings.pause(paused, clock.instant());
    }

    static Connection validated(Map<String, Object> raw, Connection current) {
        List<FieldError> errors = new ArrayList<>();
        String loginUrl = text(raw, "loginUrl", SalesforceSettings.DEFAULT_LOGIN_URL);
        try {
            URI uri = URI.create(loginUrl);
            if (uri.getHost() == null
                    || !List.of("https", "http")
                            .contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                errors.add(new FieldError("loginUrl", "must be an https URL such as https://login.salesforce.com"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("loginUrl", "must be an https URL such as https://login.salesforce.com"));
        }
        String apiVersion = text(raw, "apiVersion", SalesforceSettings.DEFAULT_API_VERSION);
        if (!apiVersion.matches("v?[1-9][0-9]{1,2}\\.0")) {
            errors.add(new FieldError("apiVersion", "must be a REST API version such as 66.0"));
        }
        String authText = text(raw, "auth", Auth.CLIENT_CREDENTIALS.name());
        Auth auth = null;
        try {
            auth = Auth.valueOf(authText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("auth", "must be CLIENT_CREDENTIALS or JWT_BEARER"));
        }
        String clientId = text(raw, "clientId", "");
        if (clientId.isEmpty() || clientId.length() > 255 || !clientId.matches("\\p{Graph}+")) {
            errors.add(new FieldError("clientId", "is required: the app's consumer key (1 to 255 characters)"));
        }
        String username = text(raw, "username", "");
        if (auth == Auth.JWT_BEARER && (username.isEmpty() || username.length() > 255)) {
            errors.add(new FieldError("username", "is required for the JWT bearer flow: the integration user"));
        }
        String field = auth == Auth.JWT_BEARER ? "privateKey" : "clientSecret";
        String secret = text(raw, field, "");
        if (secret.isEmpty() && current != null && current.auth() == auth) {
            secret = current.secret(); // kept: the form never shows it
        }
        if (secret == null || secret.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        } else if (secret.length() > 10_000) {
            errors.add(new FieldError(field, "is too long"));
        } else if (auth == Auth.JWT_BEARER) {
            try {
                SalesforceSettings.privateKey(secret);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        Integer budget = number(raw, "budgetPercent", 20, 1, 100, errors);
        Integer cycle = number(raw, "cycleSeconds", 60, 10, 3600, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Connection(
                loginUrl.replaceAll("/+$", ""),
                apiVersion.replaceFirst("^v", ""),
                auth,
                clientId,
                auth == Auth.JWT_BEARER ? username : null,
                secret,
                budget,
                cycle,
                current != null && current.paused(),
                Source.SETTINGS);
    }

    private static String text(Map<String, Object> raw, String name, String absent) {
        Object v = raw.get(name);
        return v == null || String.valueOf(v).isBlank()
                ? absent
                : String.valueOf(v).strip();
    }

    private static Integer number(
            Map<String, Object> raw, String name, int absent, int min, int max, List<FieldError> errors) {
        Object v = raw.get(name);
        if (v == null || String.valueOf(v).isBlank()) {
            return absent;
        }
        try {
            long n = Long.parseLong(String.valueOf(v).strip());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "must be a whole number from " + min + " to " + max));
        return absent;
    }
}
