package dev.kindling.dataset.load;

import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.GeneratedAccount;
import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.dataset.GeneratedCampaign;
import dev.kindling.dataset.GeneratedProspect;
import dev.kindling.engine.identity.FreeMailDomains;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes a {@link Dataset} into Kindling's schema (migration V1) through one JDBC connection
 * with {@code COPY}. Ids are read back in insertion order, so the caller must be the only
 * writer of these tables while it runs; transactions are the caller's (auto-commit makes
 * each COPY its own transaction).
 */
public final class DatasetCopy {

    private static final int CHUNK_CHARS = 1 << 20;

    private final Connection connection;
    private final CopyManager copyManager;

    public DatasetCopy(Connection connection) throws SQLException {
        this.connection = connection;
        this.copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
    }

    /** Copies the campaigns; returns campaign id by campaign index. */
    public long[] copyCampaigns(List<GeneratedCampaign> campaigns, Instant createdAt) throws SQLException {
        long after = maxId("campaign");
        copy("campaign (name, channel, cost, start_date, end_date, created_at)", campaigns.iterator(), (out, c) -> {
            CopyText.field(out, c.name())
                    .append('\t')
                    .append(c.channel())
                    .append('\t')
                    .append(c.cost())
                    .append('\t')
                    .append(c.startDate())
                    .append('\t')
                    .append(c.endDate())
                    .append('\t')
                    .append(createdAt)
                    .append('\n');
        });
        return idsAfter("campaign", after, campaigns.size());
    }

    /** Copies every account of the dataset; returns account id by account index. */
    public long[] copyAccounts(Dataset dataset, Instant createdAt) throws SQLException {
        long after = maxId("account");
        copy(
                "account (name, domain, industry, employees, country, tier, created_at)",
                dataset.accounts().iterator(),
                (out, a) -> appendAccount(out, a, createdAt));
        return idsAfter("account", after, dataset.size().accounts());
    }

    private static void appendAccount(StringBuilder out, GeneratedAccount a, Instant createdAt) {
        CopyText.field(out, a.name()).append('\t');
        CopyText.field(out, a.domain()).append('\t');
        CopyText.field(out, a.industry()).append('\t').append(a.employees()).append('\t');
        CopyText.field(out, a.country()).append('\t');
        CopyText.field(out, a.tier()).append('\t').append(createdAt).append('\n');
    }

    /**
     * Copies every prospect in stage CAPTURED, joined to its account unless its address is
     * free-mail, and records the capture as its first stage transition (with {@code cause}).
     * Returns prospect id by prospect index.
     */
    public long[] copyProspects(Dataset dataset, long[] accountIds, long[] campaignIds, String cause)
            throws SQLException {
        long after = maxId("prospect");
        copy(
                "prospect (email, first_name, last_name, company, job_title, department, industry, employees,"
                        + " country, phone, website, source, account_id, campaign_id, stage, captured_at, created_at,"
                        + " updated_at)",
                dataset.prospects().iterator(),
                (out, p) -> appendProspect(out, p, accountIds, campaignIds));
        // the monthly partitions of the captures' transitions first (migration V630), so that none lands in the
        // default partition
        try (PreparedStatement cover = connection.prepareStatement(
                "SELECT history_partitions_cover('stage_transition', min(captured_at), max(captured_at))"
                        + " FROM prospect WHERE id > ?")) {
            cover.setLong(1, after);
            cover.executeQuery().close();
        }
        try (PreparedStatement transitions = connection.prepareStatement(
                        "INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)"
                                + " SELECT id, NULL, 'CAPTURED', captured_at, ? FROM prospect WHERE id > ? ORDER BY id");
                PreparedStatement reached =
                        connection.prepareStatement("INSERT INTO stage_reached (prospect_id, stage, first_entered_at)"
                                + " SELECT id, 'CAPTURED', captured_at FROM prospect WHERE id > ? ORDER BY id")) {
            transitions.setString(1, cause);
            transitions.setLong(2, after);
            transitions.executeUpdate();
            reached.setLong(1, after);
            reached.executeUpdate();
        }
        return idsAfter("prospect", after, dataset.size().prospects());
    }

    private static void appendProspect(StringBuilder out, GeneratedProspect p, long[] accountIds, long[] campaignIds) {
        String domain = p.email().substring(p.email().indexOf('@') + 1);
        Long accountId = FreeMailDomains.contains(domain) ? null : accountIds[p.accountIndex()];
        Long campaignId = p.campaignIndex() == null ? null : campaignIds[p.campaignIndex()];
        for (String text : new String[] {
            p.email(), p.firstName(), p.lastName(), p.company(), p.jobTitle(), p.department(), p.industry()
        }) {
            CopyText.field(out, text).append('\t');
        }
        out.append(p.employees()).append('\t');
        for (String text : new String[] {p.country(), p.phone(), p.website(), p.source()}) {
            CopyText.field(out, text).append('\t');
        }
        CopyText.field(out, accountId).append('\t');
        CopyText.field(out, campaignId).append('\t');
        out.append("CAPTURED\t")
                .append(p.capturedAt())
                .append('\t')
                .append(p.capturedAt())
                .append('\t')
                .append(p.capturedAt())
                .append('\n');
    }

    /** Streams activities into {@code activity}, encoding as it goes; returns the rows copied. */
    public long copyActivities(Stream<GeneratedActivity> activities, ActivityRows rows) throws SQLException {
        long after = maxId("activity");
        long copied = copy("activity (" + ActivityRows.COLUMNS + ")", activities.iterator(), rows::append);
        keyAndPartition(after);
        if (rows.processedAt() == null) {
            queue(after);
        }
        return copied;
    }

    /**
     * Makes the monthly partitions of {@code activity} for activities that occurred from {@code from} to {@code to}
     * (migration V600), so that copying them moves nothing out of the default partition afterwards.
     */
    public void coverActivityMonths(Instant from, Instant to) throws SQLException {
        try (PreparedStatement cover = connection.prepareStatement("SELECT activity_partitions_cover(?, ?)")) {
            cover.setTimestamp(1, java.sql.Timestamp.from(from));
            cover.setTimestamp(2, java.sql.Timestamp.from(to));
            cover.executeQuery().close();
        }
    }

    /**
     * What the app's intake writes with each activity and a COPY does not: the activities' keys ({@code
     * activity_key}, the unique external ids; a duplicate fails the load as the unique index did before the table
     * was partitioned), and monthly partitions for the rows that landed in the default partition (migration V600).
     */
    private void keyAndPartition(long after) throws SQLException {
        try (PreparedStatement keys = connection.prepareStatement("INSERT INTO activity_key (external_id, occurred_at)"
                        + " SELECT external_id, occurred_at FROM activity WHERE id > ?");
                PreparedStatement split = connection.prepareStatement("SELECT activity_split_default()")) {
            keys.setLong(1, after);
            keys.executeUpdate();
            split.executeQuery().close();
        }
    }

    /**
     * Queues the copied activities for the app's intake processor, as accepting them would have (the app's
     * {@code activity_queue}, migration V640): the email only of those that name no prospect.
     */
    private void queue(long after) throws SQLException {
        try (PreparedStatement queue = connection.prepareStatement(
                "INSERT INTO activity_queue (activity_id, occurred_at, received_at, prospect_id, email)"
                        + " SELECT id, occurred_at, received_at, prospect_id,"
                        + " CASE WHEN prospect_id IS NULL THEN email END FROM activity WHERE id > ? ORDER BY id")) {
            queue.setLong(1, after);
            queue.executeUpdate();
        }
    }

    /**
     * Encodes activities as COPY text ahead of time, so that timing {@link #copyActivities(List)}
     * measures PostgreSQL and not the generator.
     */
    public static List<byte[]> encodeActivities(Stream<GeneratedActivity> activities, ActivityRows rows) {
        List<byte[]> chunks = new ArrayList<>();
        StringBuilder out = new StringBuilder(CHUNK_CHARS + 4096);
        activities.forEach(activity -> {
            rows.append(out, activity);
            if (out.length() >= CHUNK_CHARS) {
                chunks.add(out.toString().getBytes(StandardCharsets.UTF_8));
                out.setLength(0);
            }
        });
        if (!out.isEmpty()) {
            chunks.add(out.toString().getBytes(StandardCharsets.UTF_8));
        }
        return chunks;
    }

    /** Copies pre-encoded activity rows, processed history (none is queued); returns the rows copied. */
    public long copyActivities(List<byte[]> chunks) throws SQLException {
        long after = maxId("activity");
        CopyIn copyIn = copyManager.copyIn("COPY activity (" + ActivityRows.COLUMNS + ") FROM STDIN");
        long copied;
        try {
            for (byte[] chunk : chunks) {
                copyIn.writeToCopy(chunk, 0, chunk.length);
            }
            copied = copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
        keyAndPartition(after);
        return copied;
    }

    private <T> long copy(String target, Iterator<T> items, BiConsumer<StringBuilder, T> encoder) throws SQLException {
        CopyIn copyIn = copyManager.copyIn("COPY " + target + " FROM STDIN");
        try {
            StringBuilder out = new StringBuilder(CHUNK_CHARS + 4096);
            while (items.hasNext()) {
                encoder.accept(out, items.next());
                if (out.length() >= CHUNK_CHARS || !items.hasNext()) {
                    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                    copyIn.writeToCopy(bytes, 0, bytes.length);
                    out.setLength(0);
                }
            }
            return copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }

    private long maxId(String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT coalesce(max(id), 0) FROM " + table);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Identity values grow in COPY order, so ids above the old maximum, sorted, are in index order. */
    private long[] idsAfter(String table, long after, int expected) throws SQLException {
        long[] ids = new long[expected];
        int count = 0;
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT id FROM " + table + " WHERE id > ? ORDER BY id")) {
            statement.setLong(1, after);
            statement.setFetchSize(10_000);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    if (count == expected) {
                        throw new IllegalStateException("more " + table + " rows than copied: another writer?");
                    }
                    ids[count++] = result.getLong(1);
                }
            }
        }
        if (count != expected) {
            throw new IllegalStateException("copied " + expected + " " + table + " rows but found " + count);
        }
        return ids;
    }
}
