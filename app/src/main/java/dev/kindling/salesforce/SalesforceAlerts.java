package dev.kindling.salesforce;

import dev.kindling.notifications.Notice;
import dev.kindling.notifications.Notifications;
import dev.kindling.platform.security.Accounts;
import dev.kindling.platform.security.Role;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Tells the admins what they must act on, through the app's notices (mail to every active ADMIN and the
 * {@code salesforce.limit_reached} webhooks): the org's API allocation used up ({@code REQUEST_LIMIT_EXCEEDED}), once
 * per day.
 */
@Component
class SalesforceAlerts {

    static final String LIMIT_REACHED = "salesforce.limit_reached";

    private final Notifications notifications;
    private final Accounts accounts;

    SalesforceAlerts(Notifications notifications, Accounts accounts) {
        this.notifications = notifications;
        this.accounts = accounts;
    }

    void limitReached(String message, Instant stoppedUntil) {
        List<Long> admins = accounts.activeIds(Role.ADMIN);
        if (admins.isEmpty()) {
            return;
        }
        notifications.notifyUsers(
                admins,
                new Notice(
                        LIMIT_REACHED,
                        "Salesforce sync stopped: the org's API allocation is used up",
                        "Salesforce answered REQUEST_LIMIT_EXCEEDED (" + message + "). Kindling stopped syncing until "
                                + stoppedUntil + " and then tries again; nothing is lost meanwhile. Lower Kindling's"
                                + " budget share or raise the org's allocation in the Salesforce settings.",
                        Map.of("message", message, "stoppedUntil", stoppedUntil.toString()),
                        LIMIT_REACHED + ":" + LocalDate.ofInstant(stoppedUntil, ZoneOffset.UTC)));
    }
}
