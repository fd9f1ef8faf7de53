package dev.kindling.opportunities;

import dev.kindling.platform.security.Role;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What the prospect page's opportunity panel shows: the prospect's opportunities and whether the signed-in user may
 * create one. Called from the {@code opportunities/panel} fragment as {@code @opportunityPanel}.
 */
@Component("opportunityPanel")
public class OpportunityPanel {

    /** The panel's content. */
    public record Panel(List<OpportunityView> opportunities, boolean mayWrite, List<ContactRole> roles) {}

    private final Opportunities opportunities;

    OpportunityPanel(Opportunities opportunities) {
        this.opportunities = opportunities;
    }

    public Panel of(long prospectId) {
        return new Panel(
                opportunities.ofProspect(prospectId),
                mayWrite(SecurityContextHolder.getContext().getAuthentication()),
                List.of(ContactRole.values()));
    }

    /** Opportunities are written by administrators and the sales roles, as on the API; marketing reads them. */
    static boolean mayWrite(Authentication who) {
        return Role.any(who, Role.ADMIN, Role.INSIDE_SALES, Role.SALES);
    }
}
