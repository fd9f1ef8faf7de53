package dev.kindling.engine.condition;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a condition can ask about one prospect.
 *
 * @param id              the prospect's id
 * @param fields          field values by condition field name ({@code industry}, {@code account.industry},
 *                        {@code custom.budget}): String, Number, Boolean, Instant, or for custom dates the
 *                        stored {@code YYYY-MM-DD} text; a missing key is an empty value
 * @param score           the current score
 * @param grade           the current grade, or {@code null} when not graded
 * @param stage           the current lifecycle stage
 * @param ownerId         the owner's user id, or {@code null}
 * @param listIds         the lists the prospect is a member of
 * @param activities      its activities (bot ones are ignored by conditions)
 * @param lastActivityAt  when it was last active, or {@code null}
 * @param opportunities   the opportunities it has a contact role on
 * @param programs        program id to enrollment state, for the programs it is enrolled in
 */
public record ProspectFacts(
        long id,
        Map<String, Object> fields,
        int score,
        String grade,
        LifecycleStage stage,
        Long ownerId,
        Set<Long> listIds,
        List<Activity> activities,
        Instant lastActivityAt,
        List<Opportunity> opportunities,
        Map<Long, String> programs) {

    public ProspectFacts {
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(fields));
        Objects.requireNonNull(stage, "stage");
        listIds = listIds == null ? Set.of() : Set.copyOf(listIds);
        activities = activities == null ? List.of() : List.copyOf(activities);
        opportunities = opportunities == null ? List.of() : List.copyOf(opportunities);
        programs = programs == null ? Map.of() : Map.copyOf(programs);
    }

    /** Status of an opportunity (SPEC §1). */
    public enum OpportunityStatus {
        OPEN,
        WON,
        LOST
    }

    /** Business type of an opportunity (SPEC §1). */
    public enum OpportunityType {
        NEW_BUSINESS,
        EXISTING_BUSINESS
    }

    /** Why an opportunity was lost (SPEC §1); only LOST opportunities have one. */
    public enum LostReason {
        PRICE,
        COMPETITOR,
        NO_DECISION,
        TIMING,
        FEATURES,
        OTHER
    }

    /**
     * What conditions read of an opportunity; {@code amount}, {@code type}, {@code closedAt} and {@code lostReason}
     * may be null.
     */
    public record Opportunity(
            OpportunityStatus status,
            BigDecimal amount,
            OpportunityType type,
            Instant closedAt,
            LostReason lostReason) {
        public Opportunity {
            Objects.requireNonNull(status, "status");
        }
    }
}
