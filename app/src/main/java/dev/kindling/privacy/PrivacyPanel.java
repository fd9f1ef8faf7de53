package dev.kindling.privacy;

import dev.kindling.platform.security.Role;
import dev.kindling.prospects.ErasedProspects;
import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What the prospect page shows about privacy, called from the {@code privacy/panel} fragment as
 * {@code @privacyPanel}: the consent records, whether the prospect is erased, and whether the signed-in user may
 * export and erase (ADMIN).
 */
@Component("privacyPanel")
public class PrivacyPanel {

    private final Consents consents;
    private final ErasedProspects erased;

    PrivacyPanel(Consents consents, ErasedProspects erased) {
        this.consents = consents;
        this.erased = erased;
    }

    public List<Consents.ConsentView> consents(long prospectId) {
        return consents.of(prospectId);
    }

    public boolean isErased(long prospectId) {
        return erased.isErasedProspect(prospectId);
    }

    public boolean isAdmin() {
        return Role.any(SecurityContextHolder.getContext().getAuthentication(), Role.ADMIN);
    }
}
