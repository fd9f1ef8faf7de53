package dev.kindling.intake;

import dev.kindling.prospects.ProspectErased;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasure of a prospect's behaviour (docs/privacy.md): its activities stay (type, time, campaign — the counts reports
 * add up) but lose the email, the visitor id and the properties that hold personal data — user agent, IP, form
 * values, titles and error texts are removed, and URLs keep only scheme, host and path (no query string or
 * fragment); its visitors (browser ids, user agents, UTM) are deleted; its action summary is made again from what the
 * activities keep.
 */
@Component
class ActivityErasure {

    static final String[] PERSONAL_PROPERTIES = {
        "userAgent",
        "ip",
        "title",
        "errors",
        "values",
        "fields",
        "email",
        "firstName",
        "lastName",
        "name",
        "phone",
        "company",
        "note",
        "comment",
        "message"
    };

    private final JdbcClient jdbc;
    private final ActionSummary actionSummary;

    ActivityErasure(JdbcClient jdbc, ActionSummary actionSummary) {
        this.jdbc = jdbc;
        this.actionSummary = actionSummary;
    }

    @EventListener
    void erase(ProspectErased erased) {
        jdbc.sql("""
                        UPDATE activity a
                           SET email = NULL, visitor_id = NULL,
                               properties = (SELECT coalesce(jsonb_object_agg(k, CASE
                                                 WHEN k IN ('url', 'linkUrl', 'referrer') AND jsonb_typeof(v) = 'string'
                                                 THEN to_jsonb(regexp_replace(v #>> '{}', '[?#].*$', ''))
                                                 ELSE v END), '{}'::jsonb)
                                               FROM jsonb_each(a.properties - CAST(:personal AS text[])) AS e(k, v))
                         WHERE a.prospect_id = :id""")
                .param("personal", PERSONAL_PROPERTIES)
                .param("id", erased.prospectId())
                .update();
        actionSummary.rebuild(erased.prospectId());
        jdbc.sql("DELETE FROM visitor WHERE prospect_id = :id")
                .param("id", erased.prospectId())
                .update();
    }
}
