package dev.kindling.intake;

import dev.kindling.platform.database.EpochMicros;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one statement that stores new activities, for every way in ({@link ActivityIntake#accept},
 * {@link ActivityIntake#acceptAnonymousProcessed}, {@link ImmediateIntake#apply}): idempotent by external id, one
 * statement for a whole batch. {@code activity} is partitioned by {@code occurred_at}, so its external id cannot be
 * unique there: {@code activity_key} is the unique key, and only the rows whose key is new are stored (docs/scaling.md,
 * "Partitioned history"); a batch naming one external id twice stores it once. The ways differ only in when the rows
 * count as processed, whether they are queued for the intake worker, and what the statement returns: the three
 * constants below.
 */
final class ActivityInsert {

    /**
     * Queued for the intake worker, each in the same statement ({@code activity_queue}, V640): the email only of those
     * that name no prospect, which the "still queued" questions ask by. An activity naming its prospect (by id, or by
     * the email of an existing prospect: attribution at accept) is stored with {@code processed_at} set, so that
     * processing it does not write its row again; it is processed once its queue row is gone (docs/architecture.md,
     * "Intake"). The update count is the number stored.
     */
    static final ActivityInsert QUEUED = new ActivityInsert(true, false);

    /** Stored processed now, not queued: there is nothing more to do with them. The update count is the number stored. */
    static final ActivityInsert PROCESSED = new ActivityInsert(false, false);

    /** As {@link #PROCESSED}, returning the rows stored ({@link StoredActivity#COLUMNS}): the caller applies them. */
    static final ActivityInsert PROCESSED_RETURNING = new ActivityInsert(false, true);

    private final String sql;

    private ActivityInsert(boolean queued, boolean returning) {
        String processedAt =
                queued ? "CASE WHEN p IS NOT NULL THEN CAST(:now AS timestamptz) END" : "CAST(:now AS timestamptz)";
        String insert = """
                INSERT INTO activity (external_id, type, custom_name, occurred_at, received_at, prospect_id,
                                      visitor_id, email, campaign_id, properties, bot, processed_at)
                SELECT x, t, c, o, CAST(:now AS timestamptz), p, v, e, k, CAST(j AS jsonb), b, PROCESSED_AT
                  FROM u JOIN new ON new.external_id = u.x
                 ORDER BY x""".replace("PROCESSED_AT", processedAt);
        String head = """
                WITH u AS (
                    SELECT DISTINCT ON (x) x, t, c, OCCURRED AS o, p, v, e, k, j, b
                      FROM unnest(CAST(:x AS text[]), CAST(:t AS text[]), CAST(:c AS text[]),
                                  CAST(:o AS bigint[]), CAST(:p AS bigint[]), CAST(:v AS text[]),
                                  CAST(:e AS text[]), CAST(:k AS bigint[]), CAST(:j AS text[]),
                                  CAST(:b AS boolean[]))
                           AS u(x, t, c, o, p, v, e, k, j, b)
                     ORDER BY x),
                new AS (
                    INSERT INTO activity_key (external_id, occurred_at)
                    SELECT x, o FROM u ORDER BY x
                    ON CONFLICT (external_id) DO NOTHING
                    RETURNING external_id)""".replace("OCCURRED", EpochMicros.timestamp("u.o"));
        if (queued) {
            this.sql = head + ",\nstored AS (\n" + insert + """

                    RETURNING id, occurred_at, received_at, prospect_id, email)
                    INSERT INTO activity_queue (activity_id, occurred_at, received_at, prospect_id, email)
                    SELECT id, occurred_at, received_at, prospect_id, CASE WHEN prospect_id IS NULL THEN email END
                      FROM stored
                     ORDER BY id""";
        } else {
            this.sql = head + "\n" + insert + (returning ? "\nRETURNING " + StoredActivity.COLUMNS : "");
        }
    }

    /** The statement storing {@code batch}, received {@code now}; run it with {@code update()} or, returning, query. */
    JdbcClient.StatementSpec statement(JdbcClient jdbc, Instant now, List<NewActivity> batch) {
        int n = batch.size();
        String[] externalIds = new String[n];
        String[] types = new String[n];
        String[] customNames = new String[n];
        Long[] occurredAt = new Long[n]; // epoch microseconds: bound in binary (EpochMicros)
        Long[] prospectIds = new Long[n];
        String[] visitorIds = new String[n];
        String[] emails = new String[n];
        Long[] campaignIds = new Long[n];
        String[] properties = new String[n];
        Boolean[] bots = new Boolean[n];
        for (int i = 0; i < n; i++) {
            NewActivity a = batch.get(i);
            externalIds[i] = a.externalId();
            types[i] = a.type().name();
            customNames[i] = a.customName();
            occurredAt[i] = EpochMicros.of(a.occurredAt());
            prospectIds[i] = a.prospectId();
            visitorIds[i] = a.visitorId();
            emails[i] = a.email();
            campaignIds[i] = a.campaignId();
            properties[i] = PropertiesJson.write(a.properties());
            bots[i] = a.bot();
        }
        return jdbc.sql(sql)
                .param("now", Timestamp.from(now))
                .param("x", externalIds)
                .param("t", types)
                .param("c", customNames)
                .param("o", occurredAt)
                .param("p", prospectIds)
                .param("v", visitorIds)
                .param("e", emails)
                .param("k", campaignIds)
                .param("j", properties)
                .param("b", bots);
    }
}
