package dev.kindling.intake;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.platform.security.Role;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ResponseStatusException;

/**
 * Activities only a sales system may cause: an opportunity created, won or lost moves the funnel (SQL, Won) and
 * scores, so they are recorded only from ADMIN, INSIDE_SALES or SALES callers — the built-in opportunities, or an
 * API key of one of those roles (a CRM connector). A marketing or read-only key cannot fake pipeline.
 */
public final class SalesActivities {

    public static final Set<ActivityType> TYPES =
            Set.of(ActivityType.OPPORTUNITY_CREATED, ActivityType.OPPORTUNITY_WON, ActivityType.OPPORTUNITY_LOST);

    private SalesActivities() {}

    /** Whether {@code who} may record {@link #TYPES}. */
    public static boolean mayRecord(Authentication who) {
        return Role.any(who, Role.ADMIN, Role.INSIDE_SALES, Role.SALES);
    }

    /** Refuses (403) a batch holding any of {@link #TYPES} from a caller who may not record them. */
    static void check(Collection<NewActivity> batch, Authentication who) {
        List<ActivityType> refused = batch.stream()
                .map(NewActivity::type)
                .filter(TYPES::contains)
                .distinct()
                .toList();
        if (!refused.isEmpty() && !mayRecord(who)) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN,
                    "Only a sales system (an ADMIN, INSIDE_SALES or SALES key) records " + refused
                            + "; nothing of this batch was stored");
        }
    }
}
