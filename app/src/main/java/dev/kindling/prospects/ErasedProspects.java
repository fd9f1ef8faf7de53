package dev.kindling.prospects;

import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.platform.security.Hmac;
import dev.kindling.platform.web.ConflictException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erasure on the prospect side: the anonymised shell a prospect becomes, and the list of erased people — a salted
 * hash (HMAC-SHA256, the salt made once per instance and kept in {@code app_setting}) of each normalised email —
 * that {@link Prospects} consults before it creates anyone, so an erased person is never created again by the API,
 * an import, a form or an activity.
 */
@Component
public class ErasedProspects {

    static final String SALT_SETTING = "privacy.erasure-salt";
    static final String REFUSAL = "This person's data was erased at their request; they cannot be added again";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private volatile byte[] salt;

    private final dev.kindling.platform.database.AppSettings settings;

    ErasedProspects(
            JdbcClient jdbc,
            Clock clock,
            ApplicationEventPublisher events,
            dev.kindling.platform.database.AppSettings settings) {
        this.settings = settings;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    /** Whether the person with this email was erased. */
    public boolean isErased(String email) {
        return !erasedAmong(Set.of(EmailAddress.normalize(email))).isEmpty();
    }

    /** Refuses (409) to create or rename to an erased person's email. */
    void refuse(String email) {
        if (email != null && isErased(email)) {
            throw new ConflictException(REFUSAL);
        }
    }

    /** Those of these normalised emails whose person was erased, in one query. */
    Set<String> erasedAmong(Collection<String> emails) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        Map<String, String> byHash = new HashMap<>();
        emails.forEach(e -> byHash.put(hash(e), e));
        Set<String> erased = new HashSet<>();
        jdbc.sql("SELECT email_hash FROM erased_email WHERE email_hash = ANY(:hashes)")
                .param("hashes", byHash.keySet().toArray(String[]::new))
                .query(String.class)
                .list()
                .forEach(h -> erased.add(byHash.get(h)));
        return erased;
    }

    /**
     * Makes the prospect an anonymised shell — no email (a placeholder unique to the id), name, company, title,
     * department, phone, website or custom fields; never emailed — while its id, stage, score, stage history,
     * account, industry, size, country and source stay for the reports. Puts its email, and those of the prospects
     * merged into it, on the erased list and
     * publishes {@link ProspectErased} so every owner removes its personal data in this transaction.
     */
    @Transactional
    public void erase(long prospectId) {
        String email = jdbc.sql("SELECT email FROM prospect WHERE id = :id AND erased_at IS NULL FOR UPDATE")
                .param("id", prospectId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new ConflictException("Prospect " + prospectId + " is already erased"));
        Instant now = clock.instant();
        // its own address and those of the prospects merged into it, which still find it
        List<String> emails = new ArrayList<>(List.of(email));
        emails.addAll(jdbc.sql("SELECT loser_email FROM prospect_merged WHERE survivor_id = :id")
                .param("id", prospectId)
                .query(String.class)
                .list());
        jdbc.sql("""
                        INSERT INTO erased_email (email_hash, erased_at)
                        SELECT h, :at FROM unnest(CAST(:hashes AS text[])) AS t(h) ON CONFLICT DO NOTHING""")
                .param(
                        "hashes",
                        emails.stream()
                                .map(e -> hash(EmailAddress.normalize(e)))
                                .toArray(String[]::new))
                .param("at", Timestamp.from(now))
                .update();
        jdbc.sql(
                        "UPDATE prospect_merged SET loser_email = 'erased-' || loser_id || '@erased.invalid' WHERE survivor_id = :id")
                .param("id", prospectId)
                .update();
        jdbc.sql("""
                        UPDATE prospect SET email = 'erased-' || id || '@erased.invalid', first_name = NULL,
                               last_name = NULL, company = NULL, job_title = NULL, department = NULL, phone = NULL,
                               website = NULL, custom = '{}', opted_out = true, do_not_email = true,
                               erased_at = :now, updated_at = :now
                         WHERE id = :id""").param("id", prospectId).param("now", Timestamp.from(now)).update();
        events.publishEvent(new ProspectErased(prospectId));
        events.publishEvent(new ProspectsChanged(Set.of(prospectId)));
    }

    /** Whether the prospect is an erased shell. */
    public boolean isErasedProspect(long prospectId) {
        return jdbc.sql("SELECT erased_at IS NOT NULL FROM prospect WHERE id = :id")
                .param("id", prospectId)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    String hash(String normalisedEmail) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Hmac.sha256(salt(), normalisedEmail.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] salt() {
        byte[] s = salt;
        if (s == null) {
            s = settings.generatedSecret(SALT_SETTING);
            salt = s;
        }
        return s;
    }
}
