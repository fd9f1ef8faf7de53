package dev.kindling.privacy;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ErasedProspects;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erases a prospect at their request, irreversibly, in one transaction: the caller confirms with the prospect's
 * email; the audit entries about the prospect lose their before/after; the prospect becomes an anonymised shell and
 * its email goes on the erased list ({@link ErasedProspects}); every owner removes its personal data
 * ({@code ProspectErased}); and an audit entry without personal data records who erased whom and when.
 */
@Component
class ProspectErasure {

    private final Prospects prospects;
    private final ErasedProspects erased;
    private final AuditLog audit;

    ProspectErasure(Prospects prospects, ErasedProspects erased, AuditLog audit) {
        this.prospects = prospects;
        this.erased = erased;
        this.audit = audit;
    }

    @Transactional
    void erase(long id, String confirm) {
        ProspectView p = prospects.get(id);
        if (erased.isErasedProspect(id)) {
            throw new ConflictException("Prospect " + id + " is already erased");
        }
        if (confirm == null
                || confirm.isBlank()
                || !EmailAddress.normalize(confirm).equals(p.email())) {
            throw InvalidInputException.of("confirm", "must be the prospect's email, to confirm the erasure");
        }
        audit.redact("prospect", id);
        erased.erase(id);
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("id", id);
        kept.put("stage", p.stage());
        kept.put("score", p.score());
        kept.put("grade", p.grade());
        audit.record(AuditEntry.of("prospect", id, "erase", kept, Map.of("erased", true)));
    }
}
