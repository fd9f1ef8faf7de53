package dev.kindling.dataset.load;

import dev.kindling.dataset.GeneratedActivity;
import java.time.Instant;

/**
 * How generated activities become {@code activity} rows.
 *
 * @param externalIdPrefix  put before each external id (the twin uses {@code twin-} so its rows never clash)
 * @param prospectIds       prospect id by prospect index, or {@code null} to leave {@code prospect_id} empty
 *                          for the intake processor to resolve from the email
 * @param campaignIds       campaign id by campaign index
 * @param receivedAt        the {@code received_at} of every row
 * @param processedAt       the {@code processed_at} of every row; {@code null} queues the rows for the
 *                          app's intake processor (the streaming copy writes their queue rows) as the app's accept
 *                          stores them: a row naming its prospect ({@code prospectIds} given) with
 *                          {@code processed_at} at {@code receivedAt}, so that processing it only takes it out of
 *                          the queue instead of writing its row again, the others without; a time makes them
 *                          processed history
 */
public record ActivityRows(
        String externalIdPrefix, long[] prospectIds, long[] campaignIds, Instant receivedAt, Instant processedAt) {

    /** The columns {@link #append} writes, in order. */
    public static final String COLUMNS =
            "external_id, type, custom_name, occurred_at, received_at, prospect_id, email, campaign_id,"
                    + " properties, bot, processed_at";

    /** Appends one row in PostgreSQL's COPY text format. */
    public void append(StringBuilder out, GeneratedActivity activity) {
        CopyText.field(out, externalIdPrefix + activity.externalId()).append('\t');
        CopyText.field(out, activity.type().name()).append('\t');
        CopyText.field(out, activity.customName()).append('\t');
        out.append(activity.occurredAt()).append('\t');
        out.append(receivedAt).append('\t');
        CopyText.field(out, prospectIds == null ? null : String.valueOf(prospectIds[activity.prospectIndex()]))
                .append('\t');
        CopyText.field(out, activity.email()).append('\t');
        CopyText.field(
                        out,
                        activity.campaignIndex() == null ? null : String.valueOf(campaignIds[activity.campaignIndex()]))
                .append('\t');
        CopyText.field(
                        out,
                        Json.appendObject(new StringBuilder(64), activity.properties())
                                .toString())
                .append('\t');
        out.append("f\t");
        Instant processed = processedAt != null ? processedAt : prospectIds != null ? receivedAt : null;
        CopyText.field(out, processed == null ? null : processed.toString()).append('\n');
    }
}
