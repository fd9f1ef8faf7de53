package dev.kindling.opportunities;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.lifecycle.Trigger;
import dev.kindling.intake.ImmediateIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.lifecycle.LifecycleTriggers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an opportunity does to its contacts (SPEC §10), in the writing transaction:
 * <ul>
 *   <li>created (or a prospect added to an open one): the stage table's {@code OPPORTUNITY_CREATED} (→ SQL), then an
 *   {@code OPPORTUNITY_CREATED} activity, which the scoring rules see (+50 by default);</li>
 *   <li>won: {@code OPPORTUNITY_WON} (→ CUSTOMER), and an {@code OPPORTUNITY_WON} activity;</li>
 *   <li>lost: for the contacts all of whose opportunities are now lost, an {@code OPPORTUNITY_LOST} activity
 *   (−100 by default) and then {@code ALL_OPPORTUNITIES_LOST} (SQL → RECYCLED). A contact with another open or won
 *   opportunity is left alone.</li>
 * </ul>
 * Moves are recorded with the cause {@code opportunity:<id>}. Activities go through {@link ImmediateIntake}, so the
 * scoring rules, caps and the ledger apply as to any activity, and rescoring replays them. Order matters: a created
 * opportunity moves the prospect to SQL before its points arrive (so the points do not first make it an MQL), and a
 * lost one takes its points while still SQL (so a recycled prospect with a high score is not re-qualified by the
 * loss itself). Every contact's conditions are re-evaluated before the transaction commits.
 */
@Component
class OpportunityEffects {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LifecycleTriggers lifecycle;
    private final ImmediateIntake intake;
    private final ApplicationEventPublisher events;

    OpportunityEffects(
            JdbcClient jdbc,
            Clock clock,
            LifecycleTriggers lifecycle,
            ImmediateIntake intake,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.intake = intake;
        this.events = events;
    }

    /** The opportunity as its effects describe it. */
    record Deal(long id, String name, Long campaignId, java.math.BigDecimal amount) {

        String cause() {
            return "opportunity:" + id;
        }
    }

    void created(Deal deal, Collection<Long> prospects) {
        created(deal, prospects, clock.instant());
    }

    /** As {@link #created(Deal, Collection)}, the activities at {@code at} (a CRM's creation time). */
    void created(Deal deal, Collection<Long> prospects, Instant at) {
        if (prospects.isEmpty()) {
            return;
        }
        lock(prospects);
        lifecycle.fire(prospects, Trigger.OPPORTUNITY_CREATED, deal.cause());
        intake.apply(activities(deal, ActivityType.OPPORTUNITY_CREATED, "created", prospects, at));
        changed(prospects);
    }

    void won(Deal deal, Collection<Long> prospects) {
        won(deal, prospects, clock.instant());
    }

    /** As {@link #won(Deal, Collection)}, the activities at {@code at} (a CRM's close time). */
    void won(Deal deal, Collection<Long> prospects, Instant at) {
        if (prospects.isEmpty()) {
            return;
        }
        lock(prospects);
        lifecycle.fire(prospects, Trigger.OPPORTUNITY_WON, deal.cause());
        intake.apply(activities(deal, ActivityType.OPPORTUNITY_WON, "won", prospects, at));
        changed(prospects);
    }

    /** After the opportunity was marked lost: the contacts left with nothing but lost opportunities. */
    void lost(Deal deal, Collection<Long> prospects) {
        lost(deal, prospects, clock.instant());
    }

    /** As {@link #lost(Deal, Collection)}, the activities at {@code at} (a CRM's close time). */
    void lost(Deal deal, Collection<Long> prospects, Instant at) {
        if (prospects.isEmpty()) {
            return;
        }
        // locked first, so two opportunities of one prospect lost at once cannot both see the other still open
        lock(prospects);
        List<Long> allLost = jdbc.sql("""
                        SELECT r.prospect_id
                          FROM opportunity_contact_role r JOIN opportunity o ON o.id = r.opportunity_id
                         WHERE r.prospect_id = ANY(:ids)
                         GROUP BY r.prospect_id
                        HAVING bool_and(o.status = 'LOST')
                         ORDER BY r.prospect_id""")
                .param("ids", prospects.toArray(Long[]::new))
                .query(Long.class)
                .list();
        intake.apply(activities(deal, ActivityType.OPPORTUNITY_LOST, "lost", allLost, at));
        lifecycle.fire(allLost, Trigger.ALL_OPPORTUNITIES_LOST, deal.cause());
        changed(prospects);
    }

    /** Something conditions read changed (amount, a contact role removed): re-evaluate those prospects. */
    void changed(Collection<Long> prospects) {
        if (!prospects.isEmpty()) {
            events.publishEvent(new OpportunitiesChanged(new HashSet<>(prospects)));
        }
    }

    private void lock(Collection<Long> prospects) {
        // NO KEY, as intake's: writers of these prospects take turns; inserts referencing them (activities
        // attributed at accept) do not wait
        jdbc.sql("SELECT id FROM prospect WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
                .param("ids", prospects.stream().sorted().distinct().toArray(Long[]::new))
                .query(Long.class)
                .list();
    }

    private List<NewActivity> activities(
            Deal deal, ActivityType type, String what, Collection<Long> prospects, Instant now) {
        List<NewActivity> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long prospect : prospects) {
            if (seen.add(prospect)) {
                // one per opportunity, event and prospect: re-adding a contact never scores twice
                out.add(new NewActivity(
                        "opportunity:" + deal.id() + ":" + what + ":" + prospect,
                        prospect,
                        null,
                        null,
                        type,
                        null,
                        now,
                        deal.campaignId(),
                        Map.of(
                                "opportunityId",
                                Long.toString(deal.id()),
                                "opportunityName",
                                deal.name(),
                                "amount",
                                deal.amount().toPlainString()),
                        false));
            }
        }
        return out;
    }
}
