package dev.kindling.ui;

import dev.kindling.platform.security.Role;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The left navigation: a place for every capability of the product, grouped as people think of
 * them. Pages not built yet are {@linkplain Page#built() marked} and answered by the shared
 * placeholder page, so every link works from day one; when a capability ships, its controller
 * takes over the path and the entry here is flipped to built.
 */
public final class Navigation {

    /**
     * A navigation entry; {@code onlyFor} is the role required to see it, or null for everyone; {@code alsoFor} are
     * further roles that may see it.
     */
    public record Page(String label, String path, boolean built, Role onlyFor, String summary, Set<Role> alsoFor) {

        public Page(String label, String path, boolean built, Role onlyFor, String summary) {
            this(label, path, built, onlyFor, summary, Set.of());
        }

        /** Its label's key in the message bundle: {@code nav} and the path with dots ({@code nav.settings.audit}). */
        public String messageKey() {
            return "nav" + path.replace('/', '.');
        }

        boolean isVisibleTo(Collection<Role> roles) {
            return onlyFor == null
                    || roles.contains(onlyFor)
                    || alsoFor.stream().anyMatch(roles::contains);
        }
    }

    /** A labelled group of pages. */
    public record Section(String label, List<Page> pages) {

        /** Its label's key in the message bundle ({@code nav.section.marketing}). */
        public String messageKey() {
            return "nav.section." + label.toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final List<Section> SECTIONS = List.of(
            new Section(
                    "Prospects",
                    List.of(
                            built("Prospects", "/prospects"),
                            built("Accounts", "/accounts"),
                            built("Visitors", "/visitors"))),
            new Section(
                    "Marketing",
                    List.of(
                            built("Campaigns", "/campaigns"),
                            built("Forms", "/forms"),
                            built("Links & files", "/links"),
                            built("Imports", "/imports"),
                            built("Lists", "/lists"),
                            built("Automation rules", "/automation"),
                            built("Nurture programs", "/programs"),
                            built("Emails", "/emails"),
                            new Page("Outbox", "/outbox", true, Role.ADMIN, null, Set.of(Role.MARKETING)))),
            new Section(
                    "Scoring",
                    List.of(
                            built("Scoring model", "/scoring"),
                            built("Grading profiles", "/grading"),
                            built("Lifecycle", "/lifecycle"))),
            new Section(
                    "Sales",
                    List.of(
                            built("Assignment", "/assignment"),
                            built("Inside-sales queue", "/sales/queue"),
                            built("Opportunities", "/opportunities"),
                            built("SLA", "/sales/sla"))),
            new Section(
                    "Reports",
                    List.of(
                            built("Fit × interest", "/reports/quadrant"),
                            built("Lifecycle funnel", "/reports/funnel"),
                            built("Weekly review", "/reports/weekly"),
                            built("Attribution", "/reports/attribution"),
                            built("Closed loop", "/reports/closed-loop"),
                            built("KPI dashboard", "/reports/kpis"))),
            new Section(
                    "Settings",
                    List.of(
                            new Page("Users & teams", "/settings/users", true, Role.ADMIN, "Users, roles and teams."),
                            built("API keys", "/settings/api-keys"),
                            built("Custom fields", "/settings/custom-fields"),
                            new Page("Webhooks", "/settings/webhooks", true, Role.ADMIN, null),
                            new Page("Salesforce", "/settings/salesforce", true, Role.ADMIN, null),
                            new Page("Public URL", "/settings/public-url", true, Role.ADMIN, null),
                            new Page("Audit log", "/settings/audit", true, Role.ADMIN, null))));

    private Navigation() {}

    /** The sections with only the pages these roles may see; sections left empty are dropped. */
    static List<Section> visibleTo(Collection<Role> roles) {
        return SECTIONS.stream()
                .map(s -> new Section(
                        s.label(),
                        s.pages().stream().filter(p -> p.isVisibleTo(roles)).toList()))
                .filter(s -> !s.pages().isEmpty())
                .toList();
    }

    /** Every page of the navigation. */
    public static List<Page> pages() {
        return SECTIONS.stream().flatMap(s -> s.pages().stream()).toList();
    }

    /** The page a request path belongs to: the entry with the longest matching path prefix. */
    static Optional<Page> pageOf(String requestPath) {
        Page best = null;
        for (Page page : pages()) {
            boolean matches = requestPath.equals(page.path()) || requestPath.startsWith(page.path() + "/");
            if (matches && (best == null || page.path().length() > best.path().length())) {
                best = page;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Page built(String label, String path) {
        return new Page(label, path, true, null, null);
    }

    private static Page planned(String label, String path, String summary) {
        return new Page(label, path, false, null, summary);
    }
}
