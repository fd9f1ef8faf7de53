package dev.kindling.opportunities;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opportunities and their contact roles: create, read, list, edit, win, lose, add and remove contacts. Every write
 * validates the whole input first (400 with every field error, nothing stored), runs in one transaction and applies
 * the funnel effects there ({@link OpportunityEffects}). A closed opportunity stays closed: winning or losing it
 * again, or changing its contacts, is a 409. Callers check the role (only the sales roles and ADMIN write).
 */
@Component
public class Opportunities {

    public static final int MAX_NAME = 200;
    public static final int MAX_STAGE = 100;
    public static final int MAX_CONTACTS = 50;
    public static final String DEFAULT_STAGE = "Prospecting";
    public static final String WON_STAGE = "Closed Won";
    public static final String LOST_STAGE = "Closed Lost";
    /** Amounts up to numeric(18, 2). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999.99");

    /** Filters of the list; null is "any". */
    public record Filter(OpportunityStatus status, Long prospectId, Long accountId) {}

    /** A page of the list, newest first, and the cursor of the next page (null: the last one). */
    public record Page(List<OpportunityView> items, String nextCursor) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final OpportunityEffects effects;
    private final String defaultCurrency;

    Opportunities(
            JdbcClient jdbc,
            Clock clock,
            OpportunityEffects effects,
            @Value("${kindling.opportunities.currency:USD}") String defaultCurrency) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.effects = effects;
        this.defaultCurrency = defaultCurrency;
    }

    /**
     * Creates an opportunity with one contact, in the role given (primary), for the sales "convert" action: the
     * prospect moves to SQL (if its stage allows) and the "opportunity created" scoring rule applies, both in the
     * caller's transaction. Without an account of its own, the opportunity is the prospect's account's (if it has
     * one).
     *
     * @param role  a {@link ContactRole} name
     * @param cause who or what creates it ({@code user:<email>}, {@code sales:convert}); kept as {@code createdBy}
     * @return the new opportunity's id
     */
    @Transactional
    public long create(NewOpportunity o, long prospectId, String role, String cause) {
        ContactRole parsed = ContactRole.parse(role);
        if (parsed == null) {
            List<FieldError> errors = new ArrayList<>(check(o));
            errors.add(new FieldError("contactRoles[0].role", "must be one of " + List.of(ContactRole.values())));
            throw new InvalidInputException(errors);
        }
        NewOpportunity withAccount = o.accountId() != null
                ? o
                : o.withAccount(jdbc.sql("SELECT account_id FROM prospect WHERE id = :id")
                        .param("id", prospectId)
                        .query((rs, n) -> (Long) rs.getObject(1))
                        .optional()
                        .orElse(null));
        return create(withAccount, List.of(new NewContactRole(prospectId, parsed, true)), cause);
    }

    /** Creates an opportunity with these contacts (none is allowed); see {@link #create(NewOpportunity, long, String, String)}. */
    @Transactional
    public long create(NewOpportunity o, List<NewContactRole> contacts, String cause) {
        List<FieldError> errors = validate(o, contacts);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant now = clock.instant();
        BigDecimal amount = o.amount() == null ? BigDecimal.ZERO : o.amount();
        String name = o.name().strip();
        long id = jdbc.sql("""
                        INSERT INTO opportunity (name, account_id, amount, currency, stage, probability, type,
                                                 primary_campaign_id, close_date, created_at, updated_at, created_by)
                        VALUES (:name, :account, :amount, :currency, :stage, :probability, :type, :campaign, :closeDate,
                                :now, :now, :createdBy)
                        RETURNING id""")
                .param("name", name)
                .param("account", o.accountId())
                .param("amount", amount)
                .param(
                        "currency",
                        o.currency() == null ? defaultCurrency : o.currency().strip())
                .param("stage", o.stage() == null ? DEFAULT_STAGE : o.stage().strip())
                .param("probability", o.probability())
                .param("type", o.type() == null ? null : o.type().name())
                .param("campaign", o.primaryCampaignId())
                .param("closeDate", o.closeDate() == null ? null : Date.valueOf(o.closeDate()))
                .param("now", Timestamp.from(now))
                .param("createdBy", cause)
                .query(Long.class)
                .single();
        insertContacts(id, contacts, now);
        effects.created(
                new OpportunityEffects.Deal(id, name, o.primaryCampaignId(), amount),
                contacts.stream().map(NewContactRole::prospectId).toList());
        return id;
    }

    public Optional<OpportunityView> find(long id) {
        List<OpportunityView> found = load("o.id = :id", Map.of("id", id), 1);
        return found.stream().findFirst();
    }

    public OpportunityView get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No opportunity " + id));
    }

    /** The opportunities a prospect is a contact on, open ones first, then the newest. */
    public List<OpportunityView> ofProspect(long prospectId) {
        List<OpportunityView> all = load("""
                EXISTS (SELECT 1 FROM opportunity_contact_role c WHERE c.opportunity_id = o.id
                           AND c.prospect_id = :prospect)""", Map.of("prospect", prospectId), 500);
        return all.stream()
                .sorted(java.util.Comparator.comparing((OpportunityView v) -> !v.open())
                        .thenComparing(OpportunityView::id, java.util.Comparator.reverseOrder()))
                .toList();
    }

    /** A page of opportunities, newest first; {@code cursor} is the previous page's {@code nextCursor}. */
    public Page list(Filter filter, int limit, String cursor) {
        StringJoiner where = new StringJoiner(" AND ");
        where.add("TRUE");
        Map<String, Object> params = new HashMap<>();
        if (filter.status() != null) {
            where.add("o.status = :status");
            params.put("status", filter.status().name());
        }
        if (filter.accountId() != null) {
            where.add("o.account_id = :account");
            params.put("account", filter.accountId());
        }
        if (filter.prospectId() != null) {
            where.add("EXISTS (SELECT 1 FROM opportunity_contact_role c WHERE c.opportunity_id = o.id "
                    + "AND c.prospect_id = :prospect)");
            params.put("prospect", filter.prospectId());
        }
        if (cursor != null && !cursor.isBlank()) {
            long before;
            try {
                before = Long.parseLong(cursor.strip());
            } catch (NumberFormatException e) {
                throw InvalidInputException.of("cursor", "is not a cursor this API gave");
            }
            where.add("o.id < :before");
            params.put("before", before);
        }
        List<OpportunityView> rows = load(where.toString(), params, limit + 1);
        if (rows.size() > limit) {
            List<OpportunityView> page = rows.subList(0, limit);
            return new Page(List.copyOf(page), Long.toString(page.getLast().id()));
        }
        return new Page(rows, null);
    }

    /** Edits name, amount, stage label, close date, probability; also of a closed opportunity (corrections). */
    @Transactional
    public OpportunityView update(long id, OpportunityChanges changes) {
        List<FieldError> errors = new ArrayList<>();
        if (changes.name() != null) {
            checkName(changes.name(), "name", errors);
        }
        if (changes.amount() != null) {
            checkAmount(changes.amount(), "amount", errors);
        }
        if (changes.stage() != null) {
            checkStage(changes.stage(), "stage", errors);
        }
        if (changes.probability() != null) {
            checkProbability(changes.probability(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        lockOpportunity(id);
        jdbc.sql("""
                        UPDATE opportunity
                           SET name = coalesce(:name, name), amount = coalesce(:amount, amount),
                               stage = coalesce(:stage, stage),
                               close_date = CASE WHEN :closeDateGiven THEN CAST(:closeDate AS date) ELSE close_date END,
                               probability = CASE WHEN :probabilityGiven THEN CAST(:probability AS integer)
                                                  ELSE probability END,
                               updated_at = :now
                         WHERE id = :id""")
                .param("name", changes.name() == null ? null : changes.name().strip())
                .param("amount", changes.amount())
                .param("stage", changes.stage() == null ? null : changes.stage().strip())
                .param("closeDateGiven", changes.closeDateGiven())
                .param("closeDate", changes.closeDate() == null ? null : Date.valueOf(changes.closeDate()))
                .param("probabilityGiven", changes.probabilityGiven())
                .param("probability", changes.probability())
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
        effects.changed(contacts(id));
        return get(id);
    }

    /** Closes it won (409 when already closed): its contacts become customers. {@code cause}: who, kept as closedBy. */
    @Transactional
    public OpportunityView win(long id, LocalDate closeDate, String cause) {
        Locked locked = lockOpportunity(id);
        close(id, locked.status().win(id), WON_STAGE, null, closeDate, cause);
        effects.won(locked.deal(), contacts(id));
        return get(id);
    }

    /** Closes it lost, with a reason (409 when already closed): contacts with nothing but lost deals are recycled. */
    @Transactional
    public OpportunityView lose(long id, LostReason reason, LocalDate closeDate, String cause) {
        if (reason == null) {
            throw InvalidInputException.of("reason", "must be one of " + List.of(LostReason.values()));
        }
        Locked locked = lockOpportunity(id);
        close(id, locked.status().lose(id), LOST_STAGE, reason, closeDate, cause);
        effects.lost(locked.deal(), contacts(id));
        return get(id);
    }

    /**
     * Puts a prospect on an open opportunity (409 when closed or when the prospect is already on it): for that
     * prospect it is as if the opportunity were created now (→ SQL, the scoring rule once). A primary contact
     * replaces the previous primary.
     */
    @Transactional
    public OpportunityView addContact(long id, NewContactRole contact) {
        List<FieldError> errors = checkContacts(List.of(contact));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.stream()
                    .map(e -> new FieldError(e.field().replace("contactRoles[0].", ""), e.message()))
                    .toList());
        }
        Locked locked = lockOpen(id);
        if (contacts(id).contains(contact.prospectId())) {
            throw new ConflictException("Prospect " + contact.prospectId() + " is already on opportunity " + id);
        }
        Instant now = clock.instant();
        if (contact.primary()) {
            jdbc.sql("UPDATE opportunity_contact_role SET is_primary = false WHERE opportunity_id = :id AND is_primary")
                    .param("id", id)
                    .update();
        }
        insertContacts(id, List.of(contact), now);
        touch(id, now);
        effects.created(locked.deal(), List.of(contact.prospectId()));
        return get(id);
    }

    /** Takes a prospect off an open opportunity (409 when closed, 404 when not on it); its stage stays. */
    @Transactional
    public OpportunityView removeContact(long id, long prospectId) {
        lockOpen(id);
        int removed = jdbc.sql("DELETE FROM opportunity_contact_role WHERE opportunity_id = :id AND prospect_id = :p")
                .param("id", id)
                .param("p", prospectId)
                .update();
        if (removed == 0) {
            throw new NotFoundException("Prospect " + prospectId + " is not on opportunity " + id);
        }
        touch(id, clock.instant());
        effects.changed(List.of(prospectId));
        return get(id);
    }

    private record Locked(OpportunityStatus status, OpportunityEffects.Deal deal, String source, Instant closedAt) {}

    /** Locks it for a Kindling edit: 404 when missing, 409 when a CRM owns it (it is edited there). */
    private Locked lockOpportunity(long id) {
        Locked locked = lock(id);
        if (locked.source() != null) {
            throw new ConflictException("Opportunity " + id + " is synced from Salesforce and read-only in Kindling:"
                    + " edit it in Salesforce (the connector brings the change within a cycle)");
        }
        return locked;
    }

    private Locked lock(long id) {
        return jdbc.sql("""
                        SELECT id, name, primary_campaign_id, amount, status, source, closed_at FROM opportunity
                         WHERE id = :id FOR UPDATE""")
                .param("id", id)
                .query((rs, n) -> new Locked(
                        OpportunityStatus.valueOf(rs.getString("status")),
                        new OpportunityEffects.Deal(
                                rs.getLong("id"),
                                rs.getString("name"),
                                (Long) rs.getObject("primary_campaign_id"),
                                rs.getBigDecimal("amount")),
                        rs.getString("source"),
                        rs.getTimestamp("closed_at") == null
                                ? null
                                : rs.getTimestamp("closed_at").toInstant()))
                .optional()
                .orElseThrow(() -> new NotFoundException("No opportunity " + id));
    }

    // ---- opportunities a CRM owns (the Salesforce connector): read-only for Kindling's own API and pages

    /**
     * Creates ({@code id} null) or updates an opportunity a CRM owns, its status from the CRM's closed/won flags and
     * its times the CRM's: the effects are those of Kindling's own opportunities — a change to won makes its contacts
     * customers, a change to lost recycles those with nothing but lost deals — with the activities at the CRM's close
     * time. A reopened one is open again (the CRM is the system of record). Refused values are a 400 before anything
     * is written (the caller's transaction stays usable).
     *
     * @return the opportunity's id
     */
    @Transactional(noRollbackFor = InvalidInputException.class)
    public long sync(Long id, SyncedOpportunity s) {
        List<FieldError> errors = check(s.values());
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        NewOpportunity o = s.values();
        Instant closedAt = s.status().isOpen() ? null : s.closedAt();
        Map<String, Object> params = new HashMap<>();
        params.put("name", o.name().strip());
        params.put("account", o.accountId());
        params.put("amount", o.amount() == null ? BigDecimal.ZERO : o.amount());
        params.put(
                "currency",
                o.currency() == null ? defaultCurrency : o.currency().strip());
        params.put("stage", o.stage() == null ? DEFAULT_STAGE : o.stage().strip());
        params.put("probability", o.probability());
        params.put("type", o.type() == null ? null : o.type().name());
        params.put("campaign", o.primaryCampaignId());
        params.put("closeDate", o.closeDate() == null ? null : Date.valueOf(o.closeDate()));
        params.put("status", s.status().name());
        params.put("reason", s.status() == OpportunityStatus.LOST ? LostReason.OTHER.name() : null);
        params.put("closedAt", closedAt == null ? null : Timestamp.from(closedAt));
        params.put("closedBy", closedAt == null ? null : s.source());
        params.put("now", Timestamp.from(clock.instant()));
        if (id == null) {
            params.put("created", Timestamp.from(s.createdAt()));
            params.put("source", s.source());
            return jdbc.sql("""
                            INSERT INTO opportunity (name, account_id, amount, currency, stage, probability, type,
                                                     primary_campaign_id, close_date, status, lost_reason, created_at,
                                                     updated_at, closed_at, created_by, closed_by, source)
                            VALUES (:name, :account, :amount, :currency, :stage, :probability, :type, :campaign,
                                    :closeDate, :status, :reason, :created, :now, :closedAt, :source, :closedBy,
                                    :source)
                            RETURNING id""").params(params).query(Long.class).single();
        }
        Locked before = lock(id);
        if (s.status() == before.status() && before.closedAt() != null) {
            params.put("closedAt", Timestamp.from(before.closedAt())); // still closed: its close time stays
        }
        params.put("id", id);
        jdbc.sql("""
                        UPDATE opportunity
                           SET name = :name, account_id = :account, amount = :amount, currency = :currency,
                               stage = :stage, probability = :probability, type = :type,
                               primary_campaign_id = :campaign, close_date = :closeDate, status = :status,
                               lost_reason = :reason, closed_at = :closedAt, closed_by = :closedBy, updated_at = :now
                         WHERE id = :id""").params(params).update();
        List<Long> contacts = contacts(id);
        OpportunityEffects.Deal deal = new OpportunityEffects.Deal(
                id, o.name().strip(), o.primaryCampaignId(), (BigDecimal) params.get("amount"));
        if (s.status() != before.status() && s.status() == OpportunityStatus.WON) {
            effects.won(deal, contacts, closedAt);
        } else if (s.status() != before.status() && s.status() == OpportunityStatus.LOST) {
            effects.lost(deal, contacts, closedAt);
        } else {
            effects.changed(contacts);
        }
        return id;
    }

    /**
     * Puts a prospect on an opportunity a CRM owns (or changes its role there): for the prospect it is as if the
     * opportunity were created at {@code at} — and, when the opportunity is already won or lost, closed at its close
     * time — so its stage and score follow as for a contact that was on it all along.
     */
    @Transactional
    public void syncContact(long id, NewContactRole contact, Instant at) {
        Locked locked = lock(id);
        if (contact.primary()) {
            jdbc.sql("""
                            UPDATE opportunity_contact_role SET is_primary = false
                             WHERE opportunity_id = :id AND is_primary AND prospect_id <> :p""").param("id", id).param("p", contact.prospectId()).update();
        }
        if (contacts(id).contains(contact.prospectId())) {
            jdbc.sql("""
                            UPDATE opportunity_contact_role SET role = :role, is_primary = :primary
                             WHERE opportunity_id = :id AND prospect_id = :p""")
                    .param("role", contact.role().name())
                    .param("primary", contact.primary())
                    .param("id", id)
                    .param("p", contact.prospectId())
                    .update();
            effects.changed(List.of(contact.prospectId()));
            return;
        }
        insertContacts(id, List.of(contact), at);
        List<Long> prospect = List.of(contact.prospectId());
        effects.created(locked.deal(), prospect, at);
        if (locked.status() == OpportunityStatus.WON) {
            effects.won(locked.deal(), prospect, locked.closedAt());
        } else if (locked.status() == OpportunityStatus.LOST) {
            effects.lost(locked.deal(), prospect, locked.closedAt());
        }
    }

    /** Takes a prospect off an opportunity a CRM owns (nothing when it is not on it); its stage stays. */
    @Transactional
    public void removeSyncedContact(long id, long prospectId) {
        lock(id);
        if (jdbc.sql("DELETE FROM opportunity_contact_role WHERE opportunity_id = :id AND prospect_id = :p")
                        .param("id", id)
                        .param("p", prospectId)
                        .update()
                > 0) {
            touch(id, clock.instant());
            effects.changed(List.of(prospectId));
        }
    }

    /** Deletes an opportunity a CRM owns and deleted (its contacts' stages stay; conditions see it gone). */
    @Transactional
    public void deleteSynced(long id) {
        Locked locked = lock(id);
        if (locked.source() == null) {
            throw new ConflictException("Opportunity " + id + " is Kindling's own, not a CRM's");
        }
        List<Long> contacts = contacts(id);
        jdbc.sql("DELETE FROM opportunity WHERE id = :id").param("id", id).update();
        effects.changed(contacts);
    }

    private Locked lockOpen(long id) {
        Locked locked = lockOpportunity(id);
        locked.status().requireOpen(id);
        return locked;
    }

    private void close(
            long id, OpportunityStatus status, String stage, LostReason reason, LocalDate closeDate, String cause) {
        Instant now = clock.instant();
        jdbc.sql("""
                        UPDATE opportunity
                           SET status = :status, stage = :stage, lost_reason = :reason, closed_at = :now,
                               close_date = :closeDate, updated_at = :now, closed_by = :cause
                         WHERE id = :id""")
                .param("cause", cause)
                .param("status", status.name())
                .param("stage", stage)
                .param("reason", reason == null ? null : reason.name())
                .param("now", Timestamp.from(now))
                .param(
                        "closeDate",
                        Date.valueOf(closeDate != null ? closeDate : LocalDate.ofInstant(now, ZoneOffset.UTC)))
                .param("id", id)
                .update();
    }

    private void touch(long id, Instant now) {
        jdbc.sql("UPDATE opportunity SET updated_at = :now WHERE id = :id")
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    private List<Long> contacts(long id) {
        return jdbc.sql(
                        "SELECT prospect_id FROM opportunity_contact_role WHERE opportunity_id = :id ORDER BY prospect_id")
                .param("id", id)
                .query(Long.class)
                .list();
    }

    private void insertContacts(long id, List<NewContactRole> contacts, Instant now) {
        if (contacts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                        SELECT :id, p, r, x, :now
                          FROM unnest(CAST(:prospects AS bigint[]), CAST(:roles AS text[]), CAST(:primary AS boolean[]))
                               AS u(p, r, x)""")
                .param("id", id)
                .param(
                        "prospects",
                        contacts.stream().map(NewContactRole::prospectId).toArray(Long[]::new))
                .param("roles", contacts.stream().map(c -> c.role().name()).toArray(String[]::new))
                .param("primary", contacts.stream().map(NewContactRole::primary).toArray(Boolean[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    // ---- validation

    /** Every problem of this opportunity and these contacts (empty: it can be created). */
    List<FieldError> validate(NewOpportunity o, List<NewContactRole> contacts) {
        List<FieldError> errors = new ArrayList<>(check(o));
        errors.addAll(checkContacts(contacts));
        return errors;
    }

    List<FieldError> check(NewOpportunity o) {
        List<FieldError> errors = new ArrayList<>();
        checkName(o.name(), "name", errors);
        if (o.amount() != null) {
            checkAmount(o.amount(), "amount", errors);
        }
        if (o.currency() != null && !isCurrency(o.currency().strip())) {
            errors.add(new FieldError("currency", "must be an ISO 4217 currency code such as EUR or JPY"));
        }
        if (o.stage() != null) {
            checkStage(o.stage(), "stage", errors);
        }
        if (o.probability() != null) {
            checkProbability(o.probability(), errors);
        }
        if (o.accountId() != null && !exists("account", o.accountId())) {
            errors.add(new FieldError("accountId", "names no account"));
        }
        if (o.primaryCampaignId() != null && !exists("campaign", o.primaryCampaignId())) {
            errors.add(new FieldError("primaryCampaignId", "names no campaign"));
        }
        return errors;
    }

    private List<FieldError> checkContacts(List<NewContactRole> contacts) {
        List<FieldError> errors = new ArrayList<>();
        if (contacts.size() > MAX_CONTACTS) {
            errors.add(new FieldError("contactRoles", "must have at most " + MAX_CONTACTS + " contacts"));
            return errors;
        }
        Set<Long> ids = new HashSet<>();
        contacts.forEach(c -> ids.add(c.prospectId()));
        Set<Long> known = new HashSet<>(
                ids.isEmpty()
                        ? List.of()
                        : jdbc.sql("SELECT id FROM prospect WHERE id = ANY(:ids)")
                                .param("ids", ids.toArray(Long[]::new))
                                .query(Long.class)
                                .list());
        Set<Long> seen = new HashSet<>();
        int primaries = 0;
        for (int i = 0; i < contacts.size(); i++) {
            NewContactRole c = contacts.get(i);
            String path = "contactRoles[" + i + "]";
            if (!known.contains(c.prospectId())) {
                errors.add(new FieldError(path + ".prospectId", "names no prospect"));
            } else if (!seen.add(c.prospectId())) {
                errors.add(new FieldError(path + ".prospectId", "is already a contact of this opportunity"));
            }
            if (c.role() == null) {
                errors.add(new FieldError(path + ".role", "must be one of " + List.of(ContactRole.values())));
            }
            if (c.primary()) {
                primaries++;
            }
        }
        if (primaries > 1) {
            errors.add(new FieldError("contactRoles", "may have at most one primary contact"));
        }
        return errors;
    }

    private static void checkName(String name, String field, List<FieldError> errors) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME) {
            errors.add(new FieldError(field, "is required (1 to " + MAX_NAME + " characters)"));
        }
    }

    private static void checkStage(String stage, String field, List<FieldError> errors) {
        if (stage.isBlank() || stage.strip().length() > MAX_STAGE) {
            errors.add(new FieldError(field, "must be 1 to " + MAX_STAGE + " characters"));
        }
    }

    private static void checkAmount(BigDecimal amount, String field, List<FieldError> errors) {
        if (amount.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative"));
        } else if (amount.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(field, "must have at most two decimals"));
        } else if (amount.compareTo(MAX_AMOUNT) > 0) {
            errors.add(new FieldError(field, "is too large"));
        }
    }

    private static void checkProbability(int probability, List<FieldError> errors) {
        if (probability < 0 || probability > 100) {
            errors.add(new FieldError("probability", "must be between 0 and 100"));
        }
    }

    private static boolean isCurrency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean exists(String table, long id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    // ---- reading

    private List<OpportunityView> load(String where, Map<String, Object> params, int limit) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("limit", limit);
        List<Row> rows = jdbc.sql("""
                        SELECT o.*, a.name AS account_name
                          FROM opportunity o LEFT JOIN account a ON a.id = o.account_id
                         WHERE\s""" + where + "\n" + """
                         ORDER BY o.id DESC
                         LIMIT :limit""")
                .params(all)
                .query(Opportunities::row)
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<OpportunityView.Contact>> contacts = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT c.opportunity_id, c.prospect_id, c.role, c.is_primary, p.email,
                               nullif(trim(concat_ws(' ', p.first_name, p.last_name)), '') AS name
                          FROM opportunity_contact_role c JOIN prospect p ON p.id = c.prospect_id
                         WHERE c.opportunity_id = ANY(:ids)
                         ORDER BY c.opportunity_id, c.is_primary DESC, c.created_at, c.prospect_id""")
                .param("ids", rows.stream().map(Row::id).toArray(Long[]::new))
                .query((ResultSet rs) -> {
                    contacts.computeIfAbsent(rs.getLong("opportunity_id"), k -> new ArrayList<>())
                            .add(new OpportunityView.Contact(
                                    rs.getLong("prospect_id"),
                                    rs.getString("email"),
                                    rs.getString("name"),
                                    rs.getString("role"),
                                    rs.getBoolean("is_primary")));
                });
        return rows.stream()
                .map(r -> r.view(contacts.getOrDefault(r.id(), List.of())))
                .toList();
    }

    private record Row(
            long id,
            String name,
            Long accountId,
            String accountName,
            BigDecimal amount,
            String currency,
            String stage,
            OpportunityStatus status,
            Integer probability,
            String type,
            String lostReason,
            Long campaignId,
            LocalDate closeDate,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt,
            String createdBy,
            String closedBy,
            String source) {

        OpportunityView view(List<OpportunityView.Contact> contacts) {
            return new OpportunityView(
                    id,
                    name,
                    accountId,
                    accountName,
                    amount,
                    currency,
                    stage,
                    status,
                    probability,
                    type,
                    lostReason,
                    campaignId,
                    closeDate,
                    createdAt,
                    updatedAt,
                    closedAt,
                    createdBy,
                    closedBy,
                    source,
                    List.copyOf(contacts));
        }
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Date close = rs.getDate("close_date");
        Timestamp closed = rs.getTimestamp("closed_at");
        return new Row(
                rs.getLong("id"),
                rs.getString("name"),
                (Long) rs.getObject("account_id"),
                rs.getString("account_name"),
                rs.getBigDecimal("amount"),
                rs.getString("currency"),
                rs.getString("stage"),
                OpportunityStatus.valueOf(rs.getString("status")),
                (Integer) rs.getObject("probability"),
                rs.getString("type"),
                rs.getString("lost_reason"),
                (Long) rs.getObject("primary_campaign_id"),
                close == null ? null : close.toLocalDate(),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                closed == null ? null : closed.toInstant(),
                rs.getString("created_by"),
                rs.getString("closed_by"),
                rs.getString("source"));
    }
}
