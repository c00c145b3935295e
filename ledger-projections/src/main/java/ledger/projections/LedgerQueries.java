package ledger.projections;

import static ledger.projections.ReadModelTables.AccountBalance;
import static ledger.projections.ReadModelTables.AccountEntry;
import static ledger.projections.ReadModelTables.TransferView;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Records;

/**
 * Every read of the ledger's read models, with jOOQ. Each query is scoped to one tenant and every
 * list has a limit. Nothing here sums history: balances are kept current by the projections.
 */
public class LedgerQueries {
    /** The most rows one list query returns. */
    public static final int PAGE_SIZE_MAX = 1000;
    public static final int TRIAL_BALANCE_ACCOUNTS_MAX = 10_000;

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

    public record TransferRow(String transferId, String kind, String status, String legsJson, String metadataJson,
                              String postedAmount, OffsetDateTime expiresAt, OffsetDateTime createdAt,
                              OffsetDateTime updatedAt) {
    }

    public Optional<AccountRow> account(String tenant, String accountId) {
        return dsl.select(accountFields())
                .from(AccountBalance.T)
                .where(AccountBalance.TENANT.eq(tenant), AccountBalance.ACCOUNT_ID.eq(accountId))
                .fetchOptional(LedgerQueries::accountRow);
    }

    /**
     * The posted totals of an account at an instant: the running totals of its last statement line
     * at or before {@code asOf}; zero if it existed then without movements; empty if it did not exist.
     */
    public Optional<PostedTotals> postedAsOf(String tenant, String accountId, OffsetDateTime asOf) {
        Optional<PostedTotals> last = dsl.select(AccountEntry.DEBITS_POSTED, AccountEntry.CREDITS_POSTED)
                .from(AccountEntry.T)
                .where(AccountEntry.TENANT.eq(tenant), AccountEntry.ACCOUNT_ID.eq(accountId),
                        AccountEntry.OCCURRED_AT.le(asOf))
                .orderBy(AccountEntry.OCCURRED_AT.desc(), AccountEntry.SEQ.desc())
                .limit(1)
                .fetchOptional(Records.mapping(PostedTotals::new));
        if (last.isPresent()) {
            return last;
        }
        return account(tenant, accountId)
                .filter(a -> !a.openedAt().isAfter(asOf))
                .map(a -> new PostedTotals(0, 0));
    }

    /** Statement lines after {@code afterSeq} (exclusive), oldest first. */
    public List<EntryRow> statement(String tenant, String accountId, long afterSeq, int limit) {
        return dsl.select(AccountEntry.SEQ, AccountEntry.TRANSFER_ID, AccountEntry.ENTRY_TYPE, AccountEntry.SIDE,
                        AccountEntry.AMOUNT, AccountEntry.DEBITS_POSTED, AccountEntry.CREDITS_POSTED,
                        AccountEntry.DEBITS_PENDING, AccountEntry.CREDITS_PENDING, AccountEntry.OCCURRED_AT)
                .from(AccountEntry.T)
                .where(AccountEntry.TENANT.eq(tenant), AccountEntry.ACCOUNT_ID.eq(accountId),
                        AccountEntry.SEQ.gt(afterSeq))
                .orderBy(AccountEntry.SEQ.asc())
                .limit(Math.min(limit, PAGE_SIZE_MAX))
                .fetch(Records.mapping(EntryRow::new));
    }

    /** Accounts of one currency (or all currencies when {@code currency} is null), by id. */
    public List<AccountRow> accounts(String tenant, String currency, int limit) {
        var condition = AccountBalance.TENANT.eq(tenant);
        if (currency != null) {
            condition = condition.and(AccountBalance.CURRENCY.eq(currency));
        }
        return dsl.select(accountFields())
                .from(AccountBalance.T)
                .where(condition)
                .orderBy(AccountBalance.CURRENCY, AccountBalance.ACCOUNT_ID)
                .limit(limit)
                .fetch(LedgerQueries::accountRow);
    }

    /** Total posted debits and credits per currency over all accounts of the tenant. */
    public List<CurrencyTotals> totals(String tenant, String currency) {
        var condition = AccountBalance.TENANT.eq(tenant);
        if (currency != null) {
            condition = condition.and(AccountBalance.CURRENCY.eq(currency));
        }
        return dsl.select(AccountBalance.CURRENCY, sum(AccountBalance.DEBITS_POSTED),
                        sum(AccountBalance.CREDITS_POSTED), count())
                .from(AccountBalance.T)
                .where(condition)
                .groupBy(AccountBalance.CURRENCY)
                .orderBy(AccountBalance.CURRENCY)
                .limit(PAGE_SIZE_MAX)
                .fetch(r -> new CurrencyTotals(r.value1(), exact(r.value2()), exact(r.value3()), r.value4()));
    }

    public Optional<TransferRow> transfer(String tenant, String transferId) {
        return dsl.select(TransferView.TRANSFER_ID, TransferView.KIND, TransferView.STATUS, TransferView.LEGS,
                        TransferView.METADATA, TransferView.POSTED_AMOUNT, TransferView.EXPIRES_AT,
                        TransferView.CREATED_AT, TransferView.UPDATED_AT)
                .from(TransferView.T)
                .where(TransferView.TENANT.eq(tenant), TransferView.TRANSFER_ID.eq(transferId))
                .fetchOptional(Records.mapping(TransferRow::new));
    }

    private static org.jooq.SelectField<?>[] accountFields() {
        return new org.jooq.SelectField<?>[] {AccountBalance.ACCOUNT_ID, AccountBalance.CURRENCY, AccountBalance.SCALE,
                AccountBalance.KIND, AccountBalance.OVERDRAFT_LIMIT, AccountBalance.STATUS,
                AccountBalance.DEBITS_POSTED, AccountBalance.CREDITS_POSTED, AccountBalance.DEBITS_PENDING,
                AccountBalance.CREDITS_PENDING, AccountBalance.OPENED_AT, AccountBalance.UPDATED_AT};
    }

    private static AccountRow accountRow(org.jooq.Record r) {
        return new AccountRow(r.get(AccountBalance.ACCOUNT_ID), r.get(AccountBalance.CURRENCY),
                r.get(AccountBalance.SCALE), r.get(AccountBalance.KIND), r.get(AccountBalance.OVERDRAFT_LIMIT),
                r.get(AccountBalance.STATUS), r.get(AccountBalance.DEBITS_POSTED),
                r.get(AccountBalance.CREDITS_POSTED), r.get(AccountBalance.DEBITS_PENDING),
                r.get(AccountBalance.CREDITS_PENDING), r.get(AccountBalance.OPENED_AT),
                r.get(AccountBalance.UPDATED_AT));
    }

    private static long exact(BigDecimal value) {
        return value == null ? 0 : value.longValueExact();
    }
}
