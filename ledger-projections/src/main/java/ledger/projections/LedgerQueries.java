package ledger.projections;

import static ledger.projections.LedgerTables.AccountLine;
import static ledger.projections.LedgerTables.Events;
import static ledger.projections.LedgerTables.LedgerAccount;
import static ledger.projections.LedgerTables.TransferIndex;
import static ledger.projections.LedgerTables.TransferIndexAccount;
import static org.jooq.impl.DSL.condition;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.lateral;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.trueCondition;
import static org.jooq.impl.DSL.val;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ledger.domain.book.BookEntry;
import ledger.domain.event.TransferEvents;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.LedgerJson;
import ledger.domain.transfer.TransferSnapshot;
import ledger.domain.transfer.TransferStatus;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Records;
import org.jooq.Result;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * Every read of the ledger, with jOOQ. What a command changed is committed before it is
 * acknowledged (the book's lines and the transfer's events in the command's own transaction), so
 * each read reflects every acknowledged write. Each query is scoped to one tenant and every list has
 * a limit. Nothing here sums history: an account's current state is its last line.
 */
public class LedgerQueries {
    /** The most rows one list query returns. */
    public static final int PAGE_SIZE_MAX = 1000;
    public static final int TRIAL_BALANCE_ACCOUNTS_MAX = 10_000;
    /** The line types that move money: a statement shows these. */
    private static final List<String> MONEY_TYPES = List.of(BookEntry.POSTED, BookEntry.RESERVED,
            BookEntry.PENDING_POSTED, BookEntry.VOIDED, BookEntry.EXPIRED);
    private static final ObjectMapper JSON = LedgerJson.mapper();
    /** Stored payload types of a transfer's events, and the classes they are read into. */
    private static final Map<String, Class<?>> TRANSFER_EVENTS = Map.of(
            TransferEvents.TransferPosted.class.getName(), TransferEvents.TransferPosted.class,
            TransferEvents.TransferPending.class.getName(), TransferEvents.TransferPending.class,
            TransferEvents.PendingTransferPosted.class.getName(), TransferEvents.PendingTransferPosted.class,
            TransferEvents.PendingTransferVoided.class.getName(), TransferEvents.PendingTransferVoided.class,
            TransferEvents.PendingTransferExpired.class.getName(), TransferEvents.PendingTransferExpired.class,
            TransferEvents.ReversalPosted.class.getName(), TransferEvents.ReversalPosted.class,
            TransferEvents.TransferReversed.class.getName(), TransferEvents.TransferReversed.class);

    private final DSLContext dsl;

    public LedgerQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record AccountRow(String accountId, String currency, int scale, String kind, String overdraftLimit,
                             String status, long debitsPosted, long creditsPosted, long debitsPending,
                             long creditsPending, OffsetDateTime openedAt, OffsetDateTime updatedAt,
                             Map<String, String> metadata) {
    }

    public record EntryRow(long seq, String transferId, String entryType, String side, long amount,
                           long debitsPosted, long creditsPosted, long debitsPending, long creditsPending,
                           OffsetDateTime occurredAt) {
    }

    public record PostedTotals(long debitsPosted, long creditsPosted) {
    }

    public record CurrencyTotals(String currency, long debitsPosted, long creditsPosted, int accounts) {
    }

    /** Each account's last line: its current state. */
    private static Table<?> lastLine() {
        return lateral(select(AccountLine.SEQ, AccountLine.STATUS, AccountLine.DEBITS_POSTED,
                AccountLine.CREDITS_POSTED, AccountLine.DEBITS_PENDING, AccountLine.CREDITS_PENDING,
                AccountLine.OCCURRED_AT)
                .from(AccountLine.T)
                .where(AccountLine.TENANT.eq(LedgerAccount.TENANT), AccountLine.ACCOUNT_ID.eq(LedgerAccount.ACCOUNT_ID))
                .orderBy(AccountLine.SEQ.desc())
                .limit(1)).asTable("l");
    }

    private static SelectField<?>[] currentFields() {
        return new SelectField<?>[] {LedgerAccount.ACCOUNT_ID, LedgerAccount.CURRENCY, LedgerAccount.SCALE,
                LedgerAccount.KIND, LedgerAccount.OVERDRAFT_LIMIT, AccountLine.STATUS, AccountLine.DEBITS_POSTED,
                AccountLine.CREDITS_POSTED, AccountLine.DEBITS_PENDING, AccountLine.CREDITS_PENDING,
                LedgerAccount.OPENED_AT, AccountLine.OCCURRED_AT, AccountLine.SEQ, LedgerAccount.METADATA};
    }

    /** The current state of the given accounts of one tenant (those that exist). */
    static Result<Record> current(DSLContext dsl, String tenant, Collection<String> accountIds) {
        return dsl.select(currentFields())
                .from(LedgerAccount.T).crossJoin(lastLine())
                .where(LedgerAccount.TENANT.eq(tenant), LedgerAccount.ACCOUNT_ID.in(accountIds))
                .fetch();
    }

    public Optional<AccountRow> account(String tenant, String accountId) {
        return current(dsl, tenant, List.of(accountId)).stream().findFirst().map(LedgerQueries::accountRow);
    }

    /** The currency an account holds (it never changes); empty if the account does not exist. */
    public Optional<String> currencyOf(String tenant, String accountId) {
        return Optional.ofNullable(dsl.select(LedgerAccount.CURRENCY).from(LedgerAccount.T)
                .where(LedgerAccount.TENANT.eq(tenant), LedgerAccount.ACCOUNT_ID.eq(accountId))
                .fetchOne(LedgerAccount.CURRENCY));
    }

    /**
     * The posted totals of an account at an instant: those of its last line at or before {@code asOf};
     * empty if it was not open yet.
     */
    public Optional<PostedTotals> postedAsOf(String tenant, String accountId, OffsetDateTime asOf) {
        return dsl.select(AccountLine.DEBITS_POSTED, AccountLine.CREDITS_POSTED)
                .from(AccountLine.T)
                .where(AccountLine.TENANT.eq(tenant), AccountLine.ACCOUNT_ID.eq(accountId),
                        AccountLine.OCCURRED_AT.le(asOf))
                .orderBy(AccountLine.OCCURRED_AT.desc(), AccountLine.SEQ.desc())
                .limit(1)
                .fetchOptional(Records.mapping(PostedTotals::new));
    }

    /** Statement lines (changes that move money) after {@code afterSeq} (exclusive), oldest first. */
    public List<EntryRow> statement(String tenant, String accountId, long afterSeq, int limit) {
        return dsl.select(AccountLine.SEQ, AccountLine.TRANSFER_ID, AccountLine.TYPE, AccountLine.SIDE,
                        AccountLine.AMOUNT, AccountLine.DEBITS_POSTED, AccountLine.CREDITS_POSTED,
                        AccountLine.DEBITS_PENDING, AccountLine.CREDITS_PENDING, AccountLine.OCCURRED_AT)
                .from(AccountLine.T)
                .where(AccountLine.TENANT.eq(tenant), AccountLine.ACCOUNT_ID.eq(accountId),
                        AccountLine.SEQ.gt(afterSeq), AccountLine.TYPE.in(MONEY_TYPES))
                .orderBy(AccountLine.SEQ.asc())
                .limit(Math.min(limit, PAGE_SIZE_MAX))
                .fetch(Records.mapping(EntryRow::new));
    }

    /** Accounts of one currency (or all currencies when {@code currency} is null), by currency and id. */
    public List<AccountRow> accounts(String tenant, String currency, int limit) {
        return dsl.select(currentFields())
                .from(LedgerAccount.T).crossJoin(lastLine())
                .where(tenantAndCurrency(tenant, currency))
                .orderBy(LedgerAccount.CURRENCY, LedgerAccount.ACCOUNT_ID)
                .limit(limit)
                .fetch(LedgerQueries::accountRow);
    }

    /** Which accounts to list (null: any) and from where: after {@code afterId} (null: from the first). */
    public record AccountFilter(String currency, String kind, String status, Map<String, String> metadata,
                                String afterId) {
    }

    /**
     * One page of the tenant's accounts in id order, at most {@code limit} (capped at {@link #PAGE_SIZE_MAX}).
     * Indexes: {@code ledger_account} (tenant, account_id), (tenant, currency, account_id) and (tenant, kind,
     * account_id); the status is the last line's, looked up per account in the page's order.
     */
    public List<AccountRow> accountPage(String tenant, AccountFilter filter, int limit) {
        return accountPageQuery(tenant, filter, limit).fetch(LedgerQueries::accountRow);
    }

    /** The query of {@link #accountPage}, as run (to EXPLAIN it in a test). */
    public org.jooq.ResultQuery<Record> accountPageQuery(String tenant, AccountFilter filter, int limit) {
        Condition where = LedgerAccount.TENANT.eq(tenant);
        if (filter.currency() != null) {
            where = where.and(LedgerAccount.CURRENCY.eq(filter.currency()));
        }
        if (filter.kind() != null) {
            where = where.and(LedgerAccount.KIND.eq(filter.kind()));
        }
        if (filter.afterId() != null) {
            where = where.and(LedgerAccount.ACCOUNT_ID.gt(filter.afterId()));
        }
        if (filter.metadata() != null && !filter.metadata().isEmpty()) {
            where = where.and(org.jooq.impl.DSL.condition("{0} @> {1}::jsonb", LedgerAccount.METADATA_JSONB,
                    org.jooq.impl.DSL.val(json(filter.metadata()))));
        }
        if (filter.status() != null) {
            where = where.and(AccountLine.STATUS.eq(filter.status()));
        }
        return dsl.select(currentFields())
                .from(LedgerAccount.T).crossJoin(lastLine())
                .where(where)
                .orderBy(LedgerAccount.ACCOUNT_ID)
                .limit(Math.min(limit, PAGE_SIZE_MAX));
    }

    /**
     * Which transfers to list (null: any): moving {@code account}, in {@code status}, created in
     * [{@code from}, {@code to}), whose metadata holds every entry of {@code metadata}; after the
     * position ({@code afterCreatedAt}, {@code afterId}) (null: from the first).
     */
    public record TransferFilter(String account, String status, OffsetDateTime from, OffsetDateTime to,
                                 Map<String, String> metadata, OffsetDateTime afterCreatedAt, String afterId) {
    }

    /** A transfer's place in a listing: the order of every transfer page. */
    public record TransferKey(String transferId, OffsetDateTime createdAt) {
    }

    /**
     * One page of the tenant's transfers in (created_at, transfer_id) order, at most {@code limit}
     * (capped at {@link #PAGE_SIZE_MAX}), from the transfer index (V20): the tenant's transfers along its
     * key; a status other than POSTED along {@code transfer_index_status} (which holds only those); an
     * account's as the merge of three lists in that order, each at most a page: the transfers that have it
     * as {@code account_a}, as {@code account_b} (their indexes), and as a further account
     * ({@code transfer_index_account}); metadata by containment on {@code transfer_index_metadata}.
     */
    public List<TransferKey> transferPage(String tenant, TransferFilter f, int limit) {
        return transferPageQuery(tenant, f, limit).fetch(Records.mapping(TransferKey::new));
    }

    /** The query of {@link #transferPage}, as run (to EXPLAIN it in a test). */
    public org.jooq.ResultQuery<org.jooq.Record2<String, OffsetDateTime>> transferPageQuery(String tenant,
                                                                                          TransferFilter f, int limit) {
        int rows = Math.min(limit, PAGE_SIZE_MAX);
        if (f.account() == null) {
            return dsl.select(TransferIndex.TRANSFER_ID, TransferIndex.CREATED_AT)
                    .from(TransferIndex.T)
                    .where(transferConditions(TransferIndex.TENANT.eq(tenant), f, TransferIndex.CREATED_AT,
                            TransferIndex.TRANSFER_ID))
                    .orderBy(TransferIndex.CREATED_AT, TransferIndex.TRANSFER_ID)
                    .limit(rows);
        }
        Condition tenantIs = TransferIndex.TENANT.eq(tenant);
        var asA = dsl.select(TransferIndex.TRANSFER_ID, TransferIndex.CREATED_AT)
                .from(TransferIndex.T)
                .where(transferConditions(tenantIs.and(TransferIndex.ACCOUNT_A.eq(f.account())), f,
                        TransferIndex.CREATED_AT, TransferIndex.TRANSFER_ID))
                .orderBy(TransferIndex.CREATED_AT, TransferIndex.TRANSFER_ID)
                .limit(rows);
        var asB = dsl.select(TransferIndex.TRANSFER_ID, TransferIndex.CREATED_AT)
                .from(TransferIndex.T)
                .where(transferConditions(tenantIs.and(TransferIndex.ACCOUNT_B.eq(f.account())), f,
                        TransferIndex.CREATED_AT, TransferIndex.TRANSFER_ID))
                .orderBy(TransferIndex.CREATED_AT, TransferIndex.TRANSFER_ID)
                .limit(rows);
        var further = dsl.select(TransferIndexAccount.TRANSFER_ID, TransferIndexAccount.CREATED_AT)
                .from(TransferIndexAccount.T).join(TransferIndex.T)
                .on(TransferIndex.TENANT.eq(TransferIndexAccount.TENANT),
                        TransferIndex.CREATED_AT.eq(TransferIndexAccount.CREATED_AT),
                        TransferIndex.TRANSFER_ID.eq(TransferIndexAccount.TRANSFER_ID))
                .where(transferConditions(TransferIndexAccount.TENANT.eq(tenant)
                                .and(TransferIndexAccount.ACCOUNT_ID.eq(f.account())), f,
                        TransferIndexAccount.CREATED_AT, TransferIndexAccount.TRANSFER_ID))
                .orderBy(TransferIndexAccount.CREATED_AT, TransferIndexAccount.TRANSFER_ID)
                .limit(rows);
        Table<?> merged = asA.unionAll(asB).unionAll(further).asTable("page", "transfer_id", "created_at");
        Field<String> id = field(name("page", "transfer_id"), SQLDataType.VARCHAR);
        Field<OffsetDateTime> createdAt = field(name("page", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        return dsl.select(id, createdAt).from(merged).orderBy(createdAt, id).limit(rows);
    }

    /** The filter's conditions beside {@code where}, the position ones on the list's order columns. */
    private static Condition transferConditions(Condition where, TransferFilter f, Field<OffsetDateTime> createdAt,
                                                Field<String> id) {
        if (f.status() != null) {
            where = where.and(TransferIndex.STATUS.eq(f.status()));
            if (!TransferStatus.POSTED.name().equals(f.status())) {
                // the predicate of transfer_index_status, as text, so that the planner may use it
                where = where.and(condition("{0} <> 'POSTED'", TransferIndex.STATUS));
            }
        }
        if (f.from() != null) {
            where = where.and(createdAt.ge(f.from()));
        }
        if (f.to() != null) {
            where = where.and(createdAt.lt(f.to()));
        }
        if (f.metadata() != null && !f.metadata().isEmpty()) {
            // strict, so it implies metadata IS NOT NULL: the predicate of transfer_index_metadata
            where = where.and(condition("{0} @> {1}::jsonb", TransferIndex.METADATA, val(json(f.metadata()))));
        }
        if (f.afterCreatedAt() != null) {
            where = where.and(row(createdAt, id).gt(f.afterCreatedAt(), f.afterId()));
        }
        return where;
    }

    /**
     * The transfers of one tenant with these ids, each as its events make it (one query for all),
     * in the order of {@code transferIds}; an id without events is left out.
     */
    public List<TransferSnapshot> transfers(String tenant, List<String> transferIds) {
        if (transferIds.isEmpty()) {
            return List.of();
        }
        Map<String, String> idOf = new java.util.HashMap<>();
        for (String transferId : transferIds) {
            idOf.put(AggregateIds.transfer(TenantId.of(tenant), TransferId.of(transferId)), transferId);
        }
        Map<String, TransferSnapshot> states = new java.util.HashMap<>();
        for (Record r : dsl.select(Events.AGGREGATE_IDENTIFIER, Events.PAYLOAD_TYPE, Events.PAYLOAD, Events.META_DATA)
                .from(Events.T)
                .where(Events.AGGREGATE_IDENTIFIER.in(idOf.keySet()))
                .orderBy(Events.AGGREGATE_IDENTIFIER, Events.SEQUENCE_NUMBER)
                .limit(PAGE_SIZE_MAX * 64)
                .fetch()) {
            String aggregateId = r.get(Events.AGGREGATE_IDENTIFIER);
            states.put(aggregateId, fold(aggregateId, states.get(aggregateId), r));
        }
        List<TransferSnapshot> out = new java.util.ArrayList<>(transferIds.size());
        for (String transferId : transferIds) {
            TransferSnapshot state = states.get(AggregateIds.transfer(TenantId.of(tenant), TransferId.of(transferId)));
            if (state != null && state.tenant().equals(tenant)) {
                out.add(state);
            }
        }
        return out;
    }

    private static TransferSnapshot fold(String aggregateId, TransferSnapshot state, Record r) {
        Class<?> type = TRANSFER_EVENTS.get(r.get(Events.PAYLOAD_TYPE));
        if (type == null) {
            throw new IllegalStateException("transfer " + aggregateId + " has an event of type "
                    + r.get(Events.PAYLOAD_TYPE));
        }
        try {
            Object event = JSON.readValue(r.get(Events.PAYLOAD), type);
            JsonNode meta = JSON.readTree(r.get(Events.META_DATA));
            return TransferSnapshot.fold(state, event, meta.path(AuditKeys.OCCURRED_AT).asText());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable event of transfer " + aggregateId, e);
        }
    }

    private static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Total posted debits and credits per currency over all accounts of the tenant. */
    public List<CurrencyTotals> totals(String tenant, String currency) {
        return dsl.select(LedgerAccount.CURRENCY, sum(AccountLine.DEBITS_POSTED), sum(AccountLine.CREDITS_POSTED),
                        count())
                .from(LedgerAccount.T).crossJoin(lastLine())
                .where(tenantAndCurrency(tenant, currency))
                .groupBy(LedgerAccount.CURRENCY)
                .orderBy(LedgerAccount.CURRENCY)
                .limit(PAGE_SIZE_MAX)
                .fetch(r -> new CurrencyTotals(r.value1(), exact(r.value2()), exact(r.value3()), r.value4()));
    }

    private static Condition tenantAndCurrency(String tenant, String currency) {
        return LedgerAccount.TENANT.eq(tenant).and(currency == null ? trueCondition()
                : LedgerAccount.CURRENCY.eq(currency));
    }

    /**
     * A transfer or entry as its events make it ({@link TransferSnapshot#fold}), read from the event
     * store: the events are the transfer's only record, so a read cannot lag them.
     */
    public Optional<TransferSnapshot> transfer(String tenant, String transferId) {
        String aggregateId = AggregateIds.transfer(TenantId.of(tenant), TransferId.of(transferId));
        TransferSnapshot state = null;
        for (Record r : dsl.select(Events.PAYLOAD_TYPE, Events.PAYLOAD, Events.META_DATA)
                .from(Events.T)
                .where(Events.AGGREGATE_IDENTIFIER.eq(aggregateId))
                .orderBy(Events.SEQUENCE_NUMBER)
                .limit(PAGE_SIZE_MAX)
                .fetch()) {
            Class<?> type = TRANSFER_EVENTS.get(r.get(Events.PAYLOAD_TYPE));
            if (type == null) {
                throw new IllegalStateException("transfer " + aggregateId + " has an event of type "
                        + r.get(Events.PAYLOAD_TYPE));
            }
            try {
                Object event = JSON.readValue(r.get(Events.PAYLOAD), type);
                JsonNode meta = JSON.readTree(r.get(Events.META_DATA));
                state = TransferSnapshot.fold(state, event, meta.path(AuditKeys.OCCURRED_AT).asText());
            } catch (IOException e) {
                throw new IllegalStateException("unreadable event of transfer " + aggregateId, e);
            }
        }
        return Optional.ofNullable(state).filter(s -> s.tenant().equals(tenant));
    }

    private static AccountRow accountRow(Record r) {
        return new AccountRow(r.get(LedgerAccount.ACCOUNT_ID), r.get(LedgerAccount.CURRENCY),
                r.get(LedgerAccount.SCALE), r.get(LedgerAccount.KIND), r.get(LedgerAccount.OVERDRAFT_LIMIT),
                r.get(AccountLine.STATUS), r.get(AccountLine.DEBITS_POSTED), r.get(AccountLine.CREDITS_POSTED),
                r.get(AccountLine.DEBITS_PENDING), r.get(AccountLine.CREDITS_PENDING), r.get(LedgerAccount.OPENED_AT),
                r.get(AccountLine.OCCURRED_AT), metadataOf(r.get(LedgerAccount.METADATA)));
    }

    private static Map<String, String> metadataOf(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, String>>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException("unreadable account metadata", e);
        }
    }

    private static long exact(BigDecimal value) {
        return value == null ? 0 : value.longValueExact();
    }
}
