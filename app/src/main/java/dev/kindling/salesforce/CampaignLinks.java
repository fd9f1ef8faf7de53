package dev.kindling.salesforce;

import dev.kindling.campaigns.Campaign;
import dev.kindling.campaigns.Campaigns;
import dev.kindling.engine.crm.SalesforceIds;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The link step of a campaign born in Kindling (its page, {@code POST|DELETE /api/v1/campaigns/{id}/salesforce}, ADMIN):
 * link it to an existing Salesforce Campaign by id, or have the connector create one with the campaign's name and
 * cost; unlink it. Linking queues the campaign's earlier touches as CampaignMembers in the same transaction (one
 * statement, {@link CampaignMemberPush#enqueueCampaign}); creating queues the Campaign ({@link CampaignPush}), which the
 * next cycle creates, links and gives its members — never a call from the request. A campaign read from Salesforce is
 * linked by the Campaign sync and stays linked. Refused with every reason (4xx, nothing stored): a malformed id, one
 * another Kindling campaign is linked to, a campaign linked already, no connector configured.
 */
@Component("salesforceCampaignLinks")
public class CampaignLinks {

    /** A campaign's link to Salesforce, as its page and the API show it. */
    public record Status(
            long campaignId,
            boolean connected,
            String salesforceId,
            String recordUrl,
            String origin,
            Instant linkedAt,
            boolean deletedInSalesforce,
            boolean creating,
            Instant creationQueuedAt,
            List<CrmSync.ParkedError> errors,
            long membersQueued,
            long membersAdded) {}

    private record Link(String sfId, String origin, Instant linkedAt, boolean deleted) {}

    private final SalesforceSettings settings;
    private final SalesforceConnector connector;
    private final CampaignPush creations;
    private final CampaignMemberPush members;
    private final Campaigns campaigns;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    CampaignLinks(
            SalesforceSettings settings,
            SalesforceConnector connector,
            CampaignPush creations,
            CampaignMemberPush members,
            Campaigns campaigns,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.settings = settings;
        this.connector = connector;
        this.creations = creations;
        this.members = members;
        this.campaigns = campaigns;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Whether the connector is configured. */
    public boolean connected() {
        return settings.current().isPresent();
    }

    /** Whether the signed-in user may link and unlink (ADMIN). */
    public boolean mayLink() {
        return Role.any(SecurityContextHolder.getContext().getAuthentication(), Role.ADMIN);
    }

    /** The campaign's link, its pending creation and parked error, and its members queued and added; 404 unknown. */
    public Status status(long campaignId) {
        campaigns.get(campaignId);
        Optional<Link> link = link(campaignId);
        Instant queuedAt = creations.queuedAt(campaignId);
        List<CrmSync.ParkedError> errors = jdbc.sql("""
                        SELECT id, kind, code, message, fields, attempts, last_at FROM salesforce_error
                         WHERE resolved_at IS NULL AND object = 'Campaign' AND record->>'kindlingCampaignId' = :c
                         ORDER BY last_at DESC, id DESC""")
                .param("c", String.valueOf(campaignId))
                .query((rs, n) -> new CrmSync.ParkedError(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        List.of((String[]) rs.getArray(5).getArray()),
                        rs.getInt(6),
                        rs.getTimestamp(7).toInstant()))
                .list();
        long[] counts = link.map(l -> members.counts(l.sfId())).orElse(new long[] {0, 0});
        return new Status(
                campaignId,
                connected(),
                link.map(Link::sfId).orElse(null),
                link.flatMap(l -> connector.instanceUrl().map(u -> u + "/" + l.sfId()))
                        .orElse(null),
                link.map(Link::origin).orElse(null),
                link.map(Link::linkedAt).orElse(null),
                link.map(Link::deleted).orElse(false),
                queuedAt != null,
                queuedAt,
                errors,
                counts[0],
                counts[1]);
    }

    /**
     * Link the campaign to the Salesforce Campaign {@code salesforceId} (15 or 18 characters), or, with {@code create},
     * queue the creation of one. Validated as a whole (400 with every field error; 409 when the campaign or the
     * Campaign is linked already, or the connector is not configured); nothing is stored unless all is well.
     */
    public Status link(long campaignId, String salesforceId, Boolean create) {
        Campaign campaign = campaigns.get(campaignId);
        boolean creating = Boolean.TRUE.equals(create);
        String id = salesforceId == null || salesforceId.isBlank() ? null : salesforceId.strip();
        List<FieldError> errors = new ArrayList<>();
        if (creating && id != null) {
            errors.add(new FieldError("create", "give either salesforceId or create, not both"));
        } else if (!creating && id == null) {
            errors.add(new FieldError(
                    "salesforceId", "is required: a Salesforce Campaign's id, or create: true to create one"));
        }
        String sfId = null;
        if (id != null) {
            if (SalesforceIds.isValid(id) && id.startsWith("701")) {
                sfId = SalesforceIds.to18(id);
            } else {
                errors.add(new FieldError(
                        "salesforceId", "must be a Salesforce Campaign id: 15 or 18 characters starting with 701"));
            }
        }
        if (creating && campaign.name().length() > CampaignPush.MAX_NAME) {
            errors.add(new FieldError(
                    "create",
                    "the campaign's name has " + campaign.name().length() + " characters; a Salesforce Campaign's"
                            + " name has at most " + CampaignPush.MAX_NAME + ": shorten it first"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!connected()) {
            throw new ConflictException("Salesforce is not connected: configure the connector first");
        }
        String target = sfId;
        tx.executeWithoutResult(s -> {
            lock(jdbc); // one link step at a time, never beside a page of the Campaign sync
            Optional<Link> current = link(campaignId);
            Instant now = clock.instant();
            if (current.isPresent()) {
                if (current.get().sfId().equals(target)) {
                    return; // linked to it already: nothing to do
                }
                throw conflict(
                        creating ? "create" : "salesforceId",
                        "the campaign is linked to the Salesforce Campaign "
                                + current.get().sfId() + " already: unlink it first");
            }
            boolean pending = creations.queuedAt(campaignId) != null;
            if (creating) {
                creations.enqueue(campaignId, now); // queued already: as it is
                return;
            }
            if (pending) {
                throw conflict(
                        "salesforceId",
                        "a Salesforce Campaign is being created for the campaign: cancel the creation first");
            }
            Optional<Map.Entry<Long, String>> other = jdbc.sql(
                            "SELECT campaign_id, origin FROM salesforce_campaign WHERE sf_id = :sf")
                    .param("sf", target)
                    .query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)))
                    .optional();
            if (other.isPresent()) {
                long otherId = other.get().getKey();
                throw conflict(
                        "salesforceId",
                        "is linked to the Kindling campaign \""
                                + campaigns.find(otherId).map(Campaign::name).orElse("?") + "\" (id " + otherId
                                + ") already"
                                + (other.get().getValue().equals("SALESFORCE")
                                        ? ", read from Salesforce: use that campaign"
                                        : ": unlink it there first"));
            }
            int linked = jdbc.sql("""
                            INSERT INTO salesforce_campaign (sf_id, campaign_id, modstamp, origin, linked_at)
                            VALUES (:sf, :c, to_timestamp(0), 'KINDLING', :now) ON CONFLICT DO NOTHING""")
                    .param("sf", target)
                    .param("c", campaignId)
                    .param("now", Timestamp.from(now))
                    .update();
            if (linked == 0) { // the Campaign sync linked it meanwhile
                throw conflict("salesforceId", "is linked to another Kindling campaign already");
            }
            members.enqueueCampaign(campaignId, target, now);
        });
        return status(campaignId);
    }

    /**
     * Unlink a campaign an admin linked (or cancel its pending creation): the members not yet created for it are
     * dropped; those created stay in Salesforce. A campaign read from Salesforce stays linked (409); 404 when the
     * campaign is neither linked nor being created.
     */
    public Status unlink(long campaignId) {
        campaigns.get(campaignId);
        tx.executeWithoutResult(s -> {
            lock(jdbc);
            Instant now = clock.instant();
            Optional<Link> current = link(campaignId);
            if (current.isPresent() && current.get().origin().equals("SALESFORCE")) {
                throw new ConflictException("The campaign comes from Salesforce (Campaign "
                        + current.get().sfId() + "): it stays linked");
            }
            boolean cancelled = creations.cancel(campaignId, now);
            if (current.isEmpty() && !cancelled) {
                throw new NotFoundException("Campaign " + campaignId + " is not linked to Salesforce");
            }
            current.ifPresent(l -> {
                jdbc.sql("DELETE FROM salesforce_campaign WHERE sf_id = :sf")
                        .param("sf", l.sfId())
                        .update();
                members.unlinked(l.sfId(), now);
            });
        });
        return status(campaignId);
    }

    /** The transaction's lock on campaign links: the link step and each page of the Campaign sync take it. */
    static final long LINK_LOCK = 0x5f_ca_11_4e_00_00_00_01L;

    /**
     * Takes the links' lock until the transaction ends, so the Campaign sync, which creates a Kindling campaign for a
     * Campaign not linked yet, never does so while an admin links that Campaign (a duplicate campaign).
     */
    static void lock(JdbcClient jdbc) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)")
                .param("key", LINK_LOCK)
                .query((rs, n) -> 1)
                .list();
    }

    private Optional<Link> link(long campaignId) {
        return jdbc.sql("""
                        SELECT sf_id, origin, linked_at, deleted_at IS NOT NULL FROM salesforce_campaign
                         WHERE campaign_id = :c""")
                .param("c", campaignId)
                .query((rs, n) -> {
                    Timestamp at = rs.getTimestamp(3);
                    return new Link(
                            rs.getString(1), rs.getString(2), at == null ? null : at.toInstant(), rs.getBoolean(4));
                })
                .optional();
    }

    private static InvalidInputException conflict(String field, String message) {
        return new InvalidInputException(
                HttpStatus.CONFLICT,
                "The campaign cannot be linked to Salesforce",
                List.of(new FieldError(field, message)));
    }
}
