package ledger.projections;

import static ledger.projections.LedgerTables.AccountLine;
import static ledger.projections.LedgerTables.Events;
import static ledger.projections.LedgerTables.LedgerAccount;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.lateral;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.trueCondition;

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
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Records;
import org.jooq.Result;
import org.jooq.SelectField;
import org.jooq.Table;

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
                             long creditsPending, OffsetDateTime openedAt, OffsetDateTime updatedAt) {
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
                LedgerAccount.OPENED_AT, AccountLine.OCCURRED_AT, AccountLine.SEQ};
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
                r.get(AccountLine.OCCURRED_AT));
    }

    private static long exact(BigDecimal value) {
        return value == null ? 0 : value.longValueExact();
    }
}
