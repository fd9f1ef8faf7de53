package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An activity row as intake processing reads it: its subject and what the engine needs. {@code processed}: its
 * {@code processed_at} is set — which, for an activity attributed at accept, it is from accept on, while it still waits
 * in the queue (an activity without a prospect, as visitor links read, has it set only once processed).
 */
record StoredActivity(
        long id,
        String type,
        String customName,
        Instant occurredAt,
        Long prospectId,
        String visitorId,
        String email,
        Long campaignId,
        Map<String, String> properties,
        boolean bot,
        boolean processed) {

    /** The columns {@link #read} expects. */
    static final String COLUMNS = """
            id, type, custom_name, occurred_at, prospect_id, visitor_id, email, campaign_id,
            properties::text AS properties, bot, processed_at IS NOT NULL AS processed""";

    static StoredActivity read(ResultSet rs, JsonMapper json) throws SQLException {
        // as an OffsetDateTime: the driver reads a Timestamp through a Calendar, a fifth of this read's CPU (issue 16)
        OffsetDateTime occurred = rs.getObject("occurred_at", OffsetDateTime.class);
        return new StoredActivity(
                rs.getLong("id"),
                rs.getString("type"),
                rs.getString("custom_name"),
                occurred.toInstant(),
                (Long) rs.getObject("prospect_id"),
                rs.getString("visitor_id"),
                rs.getString("email"),
                (Long) rs.getObject("campaign_id"),
                PropertiesJson.read(rs.getString("properties"), json),
                rs.getBoolean("bot"),
                rs.getBoolean("processed"));
    }

    /** The engine's view; a type this version does not know is a defect, reported as such. */
    Activity toEngine() {
        ActivityType parsed = ActivityType.parse(type);
        if (parsed == null) {
            throw new IllegalStateException("activity " + id + " has an unknown type");
        }
        return new Activity(id, parsed, customName, occurredAt, campaignId, properties, bot);
    }
}
