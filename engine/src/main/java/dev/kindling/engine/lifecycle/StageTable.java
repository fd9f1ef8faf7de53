package dev.kindling.engine.lifecycle;

import static dev.kindling.engine.lifecycle.LifecycleStage.ANONYMOUS;
import static dev.kindling.engine.lifecycle.LifecycleStage.CAPTURED;
import static dev.kindling.engine.lifecycle.LifecycleStage.CUSTOMER;
import static dev.kindling.engine.lifecycle.LifecycleStage.DISQUALIFIED;
import static dev.kindling.engine.lifecycle.LifecycleStage.ENGAGED;
import static dev.kindling.engine.lifecycle.LifecycleStage.MQL;
import static dev.kindling.engine.lifecycle.LifecycleStage.RECYCLED;
import static dev.kindling.engine.lifecycle.LifecycleStage.SAL;
import static dev.kindling.engine.lifecycle.LifecycleStage.SQL;
import static dev.kindling.engine.lifecycle.Trigger.ALL_OPPORTUNITIES_LOST;
import static dev.kindling.engine.lifecycle.Trigger.CAPTURE;
import static dev.kindling.engine.lifecycle.Trigger.COMPETITOR_DOMAIN;
import static dev.kindling.engine.lifecycle.Trigger.ENGAGING_ACTIVITY;
import static dev.kindling.engine.lifecycle.Trigger.FREE_MAIL_DOMAIN;
import static dev.kindling.engine.lifecycle.Trigger.HAND_RAISE;
import static dev.kindling.engine.lifecycle.Trigger.INACTIVITY;
import static dev.kindling.engine.lifecycle.Trigger.INVALID_EMAIL;
import static dev.kindling.engine.lifecycle.Trigger.MQL_THRESHOLD;
import static dev.kindling.engine.lifecycle.Trigger.OPPORTUNITY_CREATED;
import static dev.kindling.engine.lifecycle.Trigger.OPPORTUNITY_WON;
import static dev.kindling.engine.lifecycle.Trigger.SALES_ACCEPTED;
import static dev.kindling.engine.lifecycle.Trigger.SALES_CONVERTED;
import static dev.kindling.engine.lifecycle.Trigger.SALES_REJECTED;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The default stage model (SPEC §5) as one table: from which stages a trigger moves a prospect, and where to.
 * A stage absent from a row's "from" set ignores that trigger, which is how "a disqualified prospect never
 * advances by itself" and "MQL only from ENGAGED or RECYCLED" are expressed. Manual moves (any stage to any
 * other, by a user, with a reason) are not rows: {@link Lifecycle#manual} allows them all.
 */
public final class StageTable {

    /** One row: a trigger moves a prospect in any of {@code from} to {@code to}. */
    public record Transition(Set<LifecycleStage> from, Trigger trigger, LifecycleStage to) {

        public Transition {
            from = Set.copyOf(from);
        }
    }

    private static final Set<LifecycleStage> BEFORE_SQL = EnumSet.of(CAPTURED, ENGAGED, MQL, SAL, RECYCLED);
    private static final Set<LifecycleStage> BEFORE_CUSTOMER = EnumSet.of(CAPTURED, ENGAGED, MQL, SAL, SQL, RECYCLED);

    /** The default model. Backward moves (to RECYCLED) are rows like any other. */
    public static final List<Transition> DEFAULT = List.of(
            //   from                                  trigger                  to
            row(EnumSet.of(ANONYMOUS), CAPTURE, CAPTURED),
            row(EnumSet.of(CAPTURED, RECYCLED), ENGAGING_ACTIVITY, ENGAGED),
            row(EnumSet.of(ENGAGED, RECYCLED), MQL_THRESHOLD, MQL),
            row(BEFORE_SQL, HAND_RAISE, SQL),
            row(EnumSet.of(CAPTURED, ENGAGED, MQL, SAL), INACTIVITY, RECYCLED),
            row(EnumSet.of(CAPTURED), FREE_MAIL_DOMAIN, DISQUALIFIED),
            row(EnumSet.of(CAPTURED), COMPETITOR_DOMAIN, DISQUALIFIED),
            row(EnumSet.of(CAPTURED), INVALID_EMAIL, DISQUALIFIED),
            // fired by the sales and opportunity capabilities (not implemented yet)
            row(EnumSet.of(MQL), SALES_ACCEPTED, SAL),
            row(EnumSet.of(MQL, SAL), SALES_REJECTED, RECYCLED),
            row(EnumSet.of(MQL, SAL), SALES_CONVERTED, SQL),
            row(BEFORE_SQL, OPPORTUNITY_CREATED, SQL),
            row(BEFORE_CUSTOMER, OPPORTUNITY_WON, CUSTOMER),
            row(EnumSet.of(SQL), ALL_OPPORTUNITIES_LOST, RECYCLED));

    private final List<Transition> rows;

    public StageTable(List<Transition> rows) {
        this.rows = List.copyOf(rows);
        for (int i = 0; i < this.rows.size(); i++) {
            for (int j = i + 1; j < this.rows.size(); j++) {
                Transition a = this.rows.get(i);
                Transition b = this.rows.get(j);
                if (a.trigger() == b.trigger() && a.from().stream().anyMatch(b.from()::contains)) {
                    throw new IllegalArgumentException("two rows for " + a.trigger() + " from the same stage");
                }
            }
        }
    }

    public static StageTable standard() {
        return new StageTable(DEFAULT);
    }

    public List<Transition> rows() {
        return rows;
    }

    /** Where {@code trigger} takes a prospect in stage {@code from}; empty when that stage ignores it. */
    public Optional<LifecycleStage> next(LifecycleStage from, Trigger trigger) {
        for (Transition t : rows) {
            if (t.trigger() == trigger && t.from().contains(from)) {
                return Optional.of(t.to());
            }
        }
        return Optional.empty();
    }

    private static Transition row(Set<LifecycleStage> from, Trigger trigger, LifecycleStage to) {
        return new Transition(from, trigger, to);
    }
}
